import { Button, Link } from 'react-aria-components';
import { formatCount, formatDateTime } from '../ui/format.ts';
import { issueFieldLabel } from './fieldLabels.ts';
import { Loading } from '../ui/Loading.tsx';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { SimpleTable } from '../ui/SimpleTable.tsx';
import { isSettled, type ImportReport, useImportReport } from './importApi.ts';
import { ImportProgress } from './ImportProgress.tsx';
import { statusLabels } from './importLabels.ts';
import { UndoImportButton } from './UndoImportButton.tsx';

type ImportReportViewProps = {
  purpose: string;
  id: string;
  /** Sends the same file again, publishing its valid rows; only while the wizard still holds the file. */
  onImportValidRows?: () => void;
  importingValidRows?: boolean;
};

function outcomeText(report: ImportReport): string {
  const what = report.object === 'contact' ? 'contacts' : 'companies';
  switch (report.status) {
    case 'published':
      return `Published: ${formatCount(report.importedRows)} ${what} created, ${formatCount(report.updatedRows)} updated${report.invalidRows > 0 ? `, ${formatCount(report.invalidRows)} invalid rows skipped` : ''}.`;
    case 'failed':
      return `Nothing was imported: ${formatCount(report.invalidRows)} ${report.invalidRows === 1 ? 'row is' : 'rows are'} invalid.`;
    case 'undone':
      return `Undone: ${formatCount(report.removedContacts ?? report.importedRows)} ${what} removed.`;
    default:
      return statusLabels[report.status];
  }
}

/** One import as it runs and once it settled: progress, outcome, the row errors (line, column, reason — never a value) and the undo. */
export function ImportReportView({ purpose, id, onImportValidRows, importingValidRows = false }: ImportReportViewProps) {
  const query = useImportReport(purpose, id);
  if (query.isPending) return <Loading what="the import" />;
  if (query.isError) return <ProblemNotice error={query.error} title="The import could not be loaded" />;
  const report = query.data;
  const settled = isSettled(report.status);
  return (
    <div className="stack">
      <section className="panel stack" aria-labelledby="import-outcome">
        <h2 id="import-outcome">{report.fileName ?? 'The import'}</h2>
        {settled ? (
          <p role="status" className={`outcome outcome-${report.status}`}>
            {outcomeText(report)}
          </p>
        ) : (
          <ImportProgress report={report} />
        )}
        {report.consents.recorded > 0 && <p>{formatCount(report.consents.recorded)} consents recorded in the consent history (channel import).</p>}
        {report.consents.notice && <p className="notice notice-warning">{report.consents.notice}</p>}
        <p className="muted">
          Started {formatDateTime(report.createdAt)}
          {report.publishedAt && ` · published ${formatDateTime(report.publishedAt)}`}
          {report.undoneAt && ` · undone ${formatDateTime(report.undoneAt)}`}
        </p>
        {report.status === 'published' && (
          <div className="toolbar">
            {report.object === 'contact' && (
              <Link href="/contacts" className="button">
                Go to the contacts
              </Link>
            )}
            <UndoImportButton purpose={purpose} report={report} />
          </div>
        )}
        {report.status === 'failed' && report.invalidRows > 0 && onImportValidRows && (
          <div className="toolbar">
            <Button className="button button-primary" onPress={onImportValidRows} isPending={importingValidRows}>
              Import the valid rows only
            </Button>
          </div>
        )}
      </section>
      {report.issues.length > 0 && <RowErrors report={report} />}
    </div>
  );
}

function RowErrors({ report }: { report: ImportReport }) {
  return (
    <section className="panel stack" aria-labelledby="row-errors">
      <h2 id="row-errors">Row errors</h2>
      <ul className="plain-list issue-summary">
        {report.issueSummary.map((group) => (
          <li key={`${group.field}:${group.reason}`}>
            <strong>{issueFieldLabel(group.field)}</strong>: {group.reason} ({formatCount(group.rows)} {group.rows === 1 ? 'row' : 'rows'})
          </li>
        ))}
      </ul>
      <SimpleTable labelledBy="row-errors" className="issues-table" columns={[{ label: 'Line', numeric: true }, { label: 'Field' }, { label: 'Reason' }]}>
        {report.issues.map((issue) => (
          <tr key={`${issue.line}:${issue.field}:${issue.reason}`}>
            <td className="numeric">{issue.line}</td>
            <td>{issueFieldLabel(issue.field)}</td>
            <td>{issue.reason}</td>
          </tr>
        ))}
      </SimpleTable>
      {report.issuesTruncated && <p className="muted">Only the first problems are listed.</p>}
    </section>
  );
}
