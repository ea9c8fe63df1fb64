import type { UseMutationResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Button, Dialog, DialogTrigger, Heading, Modal, ModalOverlay } from 'react-aria-components';
import '../styles/dialog.css';
import { ProblemNotice } from './ProblemNotice.tsx';

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

/** A destructive action behind a confirmation (an alert dialog, focus kept inside, Escape cancels). */
export function ConfirmButton({ label, fullLabel, question, children, confirm, cancel, action, failure }: ConfirmButtonProps) {
  return (
    <DialogTrigger>
      <Button className="button button-danger" aria-label={fullLabel}>
        {label}
      </Button>
      <ModalOverlay className="modal-overlay" isDismissable={!action.isPending}>
        <Modal className="modal">
          <Dialog role="alertdialog" className="dialog stack">
            {({ close }) => (
              <>
                <Heading slot="title">{question}</Heading>
                {children}
                {action.isError && <ProblemNotice error={action.error} title={failure} />}
                <div className="toolbar">
                  <Button className="button" onPress={close} isDisabled={action.isPending}>
                    {cancel}
                  </Button>
                  <Button className="button button-danger" isPending={action.isPending} onPress={() => action.mutate(undefined, { onSuccess: close })}>
                    {confirm}
                  </Button>
                </div>
              </>
            )}
          </Dialog>
        </Modal>
      </ModalOverlay>
    </DialogTrigger>
  );
}
