import { ConfirmButton } from '../ui/ConfirmButton.tsx';
import { formatCount } from '../ui/format.ts';
import { type ImportReport, useUndoImport } from './importApi.ts';

/** Undoes a published import after the user confirms: the records it created are deleted. */
export function UndoImportButton({ purpose, report }: { purpose: string; report: ImportReport }) {
  const undo = useUndoImport(purpose, report.id);
  const what = report.object === 'contact' ? 'contacts' : 'companies';
  return (
    <ConfirmButton
      label="Undo this import"
      question="Undo this import?"
      confirm="Undo the import"
      cancel="Keep the import"
      action={undo}
      failure="The import was not undone"
    >
      <p>
        The {formatCount(report.importedRows)} {what} it created will be deleted, with what was recorded about them since.
        {report.updatedRows > 0 && ` The ${formatCount(report.updatedRows)} existing records it updated are kept as they are now.`} This cannot be reversed.
      </p>
    </ConfirmButton>
  );
}
