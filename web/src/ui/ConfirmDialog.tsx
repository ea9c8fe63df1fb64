import type { ReactNode } from 'react';
import { Button, Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import '../styles/dialog.css';
import { ProblemNotice } from './ProblemNotice.tsx';

type ConfirmDialogProps = {
  isOpen: boolean;
  onOpenChange(isOpen: boolean): void;
  title: string;
  children: ReactNode;
  /** The confirming button's words ("Delete the contact"), and the other one's ("Cancel"). */
  confirmLabel: string;
  cancelLabel?: string;
  onConfirm(): void;
  pending: boolean;
  /** The API's refusal of the last try, shown in the dialog under this title. */
  error: unknown;
  errorTitle: string;
  destructive?: boolean;
};

/**
 * A modal question before an action that cannot be undone: focus moves into it and stays
 * there, Escape or "Cancel" closes it and gives focus back to the button that opened it.
 */
export function ConfirmDialog({
  isOpen,
  onOpenChange,
  title,
  children,
  confirmLabel,
  cancelLabel = 'Cancel',
  onConfirm,
  pending,
  error,
  errorTitle,
  destructive = false,
}: ConfirmDialogProps) {
  return (
    <ModalOverlay className="modal-overlay" isOpen={isOpen} onOpenChange={onOpenChange} isDismissable={!pending}>
      <Modal className="modal">
        <Dialog className="dialog" role="alertdialog">
          <Heading slot="title">{title}</Heading>
          {children}
          {error !== null && <ProblemNotice error={error} title={errorTitle} />}
          <div className="dialog-actions">
            <Button className="button" slot="close" isDisabled={pending}>
              {cancelLabel}
            </Button>
            <Button className={destructive ? 'button button-danger' : 'button button-primary'} onPress={onConfirm} isPending={pending}>
              {confirmLabel}
            </Button>
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
