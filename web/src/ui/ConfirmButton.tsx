import type { UseMutationResult } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { Button } from 'react-aria-components';
import { ConfirmDialog } from './ConfirmDialog.tsx';

type ConfirmButtonProps = {
  /** The button that opens the question; `fullLabel` names what it acts on for screen readers, in a list of many such buttons. */
  label: string;
  fullLabel?: string;
  question: string;
  /** What will happen, in plain words. */
  children: ReactNode;
  /** The button that does it, and the one that does not. */
  confirm: string;
  cancel: string;
  /** The action; the dialog closes when it succeeded and shows its problem when it failed. */
  action: Pick<UseMutationResult<unknown, Error, void>, 'mutate' | 'isPending' | 'isError' | 'error'>;
  failure: string;
};

/** A destructive action behind a confirmation: the button, and the one confirmation dialog (ConfirmDialog). */
export function ConfirmButton({ label, fullLabel, question, children, confirm, cancel, action, failure }: ConfirmButtonProps) {
  const [isOpen, setOpen] = useState(false);
  return (
    <>
      <Button className="button button-danger" aria-label={fullLabel} onPress={() => setOpen(true)}>
        {label}
      </Button>
      <ConfirmDialog
        isOpen={isOpen}
        onOpenChange={setOpen}
        title={question}
        confirmLabel={confirm}
        cancelLabel={cancel}
        onConfirm={() => action.mutate(undefined, { onSuccess: () => setOpen(false) })}
        pending={action.isPending}
        error={action.isError ? action.error : null}
        errorTitle={failure}
        destructive
      >
        {children}
      </ConfirmDialog>
    </>
  );
}
