import { useState } from 'react';
import { Button } from 'react-aria-components';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { formatDate } from '../../ui/format.ts';
import { useAskForRequest } from './usePortalRequests.ts';

/** Asking to be erased, behind a question that says plainly what follows. */
export function ErasureRequest({ workspace, workspaceName }: { workspace: string; workspaceName: string }) {
  const ask = useAskForRequest(workspace);
  const [isOpen, setOpen] = useState(false);
  return (
    <section className="portal-ask" aria-labelledby="ask-erasure-heading">
      <h3 id="ask-erasure-heading">Erase your data</h3>
      <p>
        Ask {workspaceName} to erase everything it holds about you. Once it is done, it cannot be undone, and we will not contact you again unless you give your
        consent anew.
      </p>
      <Button className="button button-danger" onPress={() => setOpen(true)}>
        Ask us to erase my data
      </Button>
      <ConfirmDialog
        isOpen={isOpen}
        onOpenChange={setOpen}
        title="Erase all your data?"
        confirmLabel="Yes, erase my data"
        cancelLabel="No, keep it"
        onConfirm={() => ask.mutate({ kind: 'erasure' }, { onSuccess: () => setOpen(false) })}
        pending={ask.isPending}
        error={ask.isError ? ask.error : null}
        errorTitle="Your request was not sent"
        destructive
      >
        <p>
          {workspaceName} will erase your details, your history with them and your copies. We keep only what the law requires: a record that you asked, a note
          that stops your address being added again without your consent, and your consent history without your name.
        </p>
        <p>This cannot be undone.</p>
      </ConfirmDialog>
      <p role="status" className="portal-ask-status">
        {ask.isSuccess ? `We have your request to erase your data. We will answer by ${formatDate(ask.data.dueAt)}.` : ''}
      </p>
    </section>
  );
}
