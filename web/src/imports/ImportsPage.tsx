import { Link as AriaLink } from 'react-aria-components';
import { Link } from 'react-router';
import { purposeLabel } from '../purpose/purposeLabels.ts';
import { usePurpose, useSession } from '../session/sessionContext.ts';
import { formatCount, formatDateTime } from '../ui/format.ts';
import { QueryPanel } from '../ui/QueryPanel.tsx';
import { SimpleTable } from '../ui/SimpleTable.tsx';
import { ExportPanel } from './ExportPanel.tsx';
import { useImportList } from './importApi.ts';
import { objectLabels, senderLabel, statusLabels } from './importLabels.ts';

/** The workspace's imports (state, counts, who and when — never a value from a file), and the exports for the current purpose. */
export function ImportsPage() {
  const purpose = usePurpose();
  const { me } = useSession();
  const imports = useImportList(purpose);
  return (
    <section className="page" aria-labelledby="imports-heading">
      <div className="page-header page-header-actions">
        <div>
          <h1 id="imports-heading">Import and export</h1>
          <p className="muted">
            Bring contacts and companies in from a CSV file (HubSpot, Salesforce or Candor exports), or take them out as {purposeLabel(purpose)} may.
          </p>
        </div>
        <AriaLink href="/imports/new" className="button button-primary">
          Import a CSV file
        </AriaLink>
      </div>
      <ExportPanel purpose={purpose} />
      <QueryPanel
        id="past-imports"
        title="Past imports"
        query={imports}
        what="the imports"
        empty={(list) => (list.length === 0 ? 'No file has been imported yet.' : null)}
      >
        {(list) => (
          <SimpleTable
            labelledBy="past-imports"
            columns={[
              { label: 'File' },
              { label: 'Records' },
              { label: 'State' },
              { label: 'Imported', numeric: true },
              { label: 'Updated', numeric: true },
              { label: 'Invalid rows', numeric: true },
              { label: 'By' },
              { label: 'When' },
            ]}
          >
            {list.map((item) => (
              <tr key={item.id}>
                <td>
                  <Link to={`/imports/${item.id}`}>{item.fileName ?? 'Unnamed file'}</Link>
                </td>
                <td>{objectLabels[item.object]}</td>
                <td>
                  <span className={`status status-${item.status}`}>{statusLabels[item.status]}</span>
                </td>
                <td className="numeric">{formatCount(item.importedRows)}</td>
                <td className="numeric">{formatCount(item.updatedRows)}</td>
                <td className="numeric">{formatCount(item.invalidRows)}</td>
                <td>{senderLabel(item.createdBy, me?.user?.id)}</td>
                <td>{formatDateTime(item.createdAt)}</td>
              </tr>
            ))}
          </SimpleTable>
        )}
      </QueryPanel>
    </section>
  );
}
