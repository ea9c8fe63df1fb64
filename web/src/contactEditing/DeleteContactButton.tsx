import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from 'react-aria-components';
import { useNavigate } from 'react-router';
import type { Contact } from '../api/types.ts';
import { usePurpose } from '../session/sessionContext.ts';
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx';
import { deleteContact, forgetContactReads } from './contactWrites.ts';

/** Deletes the contact for good after the user confirms, then returns to the table. */
export function DeleteContactButton({ contact, name }: { contact: Contact; name: string }) {
  const purpose = usePurpose();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [isOpen, setOpen] = useState(false);
  const remove = useMutation({
    // The version shown: a contact changed since is not deleted unseen (412).
    mutationFn: () => deleteContact(purpose, contact.id, contact.version),
    onSuccess: async () => {
      setOpen(false);
      queryClient.removeQueries({ queryKey: ['contacts', purpose, 'record', contact.id] });
      await forgetContactReads(queryClient);
      navigate('/contacts', { state: { deleted: true } });
    },
  });
  return (
    <>
      <Button className="button button-danger-quiet" onPress={() => setOpen(true)}>
        Delete
      </Button>
      <ConfirmDialog
        isOpen={isOpen}
        onOpenChange={(open) => {
          setOpen(open);
          if (!open) remove.reset();
        }}
        title="Delete this contact?"
        confirmLabel="Delete the contact"
        onConfirm={() => remove.mutate()}
        pending={remove.isPending}
        errorTitle="The contact was not deleted"
        error={remove.error}
        destructive
      >
        <p>{name} is deleted for good, with their tracked events. The deletion is recorded in the audit trail; it cannot be undone.</p>
      </ConfirmDialog>
    </>
  );
}
