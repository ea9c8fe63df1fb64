import { Button, Dialog, DialogTrigger, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { formatCount } from '../ui/format.ts';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { type ImportReport, useUndoImport } from './importApi.ts';

/** Undoes a published import after the user confirms: the records it created are deleted. */
export function UndoImportButton({ purpose, report }: { purpose: string; report: ImportReport }) {
  const undo = useUndoImport(purpose);
  const what = report.object === 'contact' ? 'contacts' : 'companies';
  return (
    <DialogTrigger>
      <Button className="button button-danger">Undo this import</Button>
      <ModalOverlay className="modal-overlay" isDismissable={!undo.isPending}>
        <Modal className="modal">
          <Dialog role="alertdialog" className="dialog stack">
            {({ close }) => (
              <>
                <Heading slot="title">Undo this import?</Heading>
                <p>
                  The {formatCount(report.importedRows)} {what} it created will be deleted, with what was recorded about them since.
                  {report.updatedRows > 0 && ` The ${formatCount(report.updatedRows)} existing records it updated are kept as they are now.`} This cannot be
                  reversed.
                </p>
                {undo.isError && <ProblemNotice error={undo.error} title="The import was not undone" />}
                <div className="toolbar">
                  <Button className="button" onPress={close} isDisabled={undo.isPending}>
                    Keep the import
                  </Button>
                  <Button className="button button-danger" isPending={undo.isPending} onPress={() => undo.mutate(report.id, { onSuccess: close })}>
                    Undo the import
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
