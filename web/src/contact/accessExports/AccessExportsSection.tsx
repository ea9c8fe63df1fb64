import { useState } from 'react';
import { Button } from 'react-aria-components';
import { ChoiceSelect } from '../../ui/ChoiceSelect.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { ProblemNotice } from '../../ui/ProblemNotice.tsx';
import { QueryPanel } from '../../ui/QueryPanel.tsx';
import { SimpleTable } from '../../ui/SimpleTable.tsx';
import { AccessExportLink } from './AccessExportLink.tsx';
import type { AccessExportFormat } from '../../api/types.ts';
import { useAccessExports, useRequestAccessExport } from './useAccessExports.ts';

const formats: Array<{ id: AccessExportFormat; name: string }> = [
  { id: 'json', name: 'JSON (machine-readable, for portability)' },
  { id: 'csv', name: 'CSV files in a zip' },
  { id: 'html', name: 'HTML page (readable)' },
];
const formatNames: Record<string, string> = { json: 'JSON', csv: 'CSV zip', html: 'HTML' };

/** The export's state in words, with its progress while it is built. */
function ExportStatus({ status, progress, step, error }: { status: string; progress: number; step: string | null; error: string | null }) {
  if (status === 'ready') return <>Ready</>;
  if (status === 'failed') return <>Failed{error ? ` (${error})` : ''}</>;
  return (
    <span className="access-export-cell">
      {status === 'queued' ? 'Queued' : `Building${step ? `: ${step}` : ''}`}
      <progress max={100} value={progress} aria-label={`Export progress ${progress}%`} />
    </span>
  );
}

/**
 * The contact page's access exports (for roles holding dsr_fulfilment): ask for a copy of
 * everything held on the person with its Art. 15 context, follow it while the job builds it,
 * and get a single-use download link to hand to them.
 */
export function AccessExportsSection({ contactId }: { contactId: string }) {
  const exports = useAccessExports(contactId);
  const request = useRequestAccessExport(contactId);
  const [format, setFormat] = useState<AccessExportFormat>('html');
  const now = Date.now();
  return (
    <QueryPanel id="access-exports-heading" title="Copies of their data" query={exports} what="the access exports" className="panel access-exports">
      {(rows) => (
        <div className="stack">
          <p className="muted">
            For an access or portability request (GDPR Art. 15, 20; CCPA right to know): everything held on this person with the purposes, recipients and
            retention. Made for answering rights requests (dsr_fulfilment) and recorded in their access trail.
          </p>
          <div className="form-actions">
            <ChoiceSelect label="Format" value={format} choices={formats} onChange={(value) => setFormat(value as AccessExportFormat)} />
            <Button className="button button-primary" isPending={request.isPending} onPress={() => request.mutate(format)}>
              Ask for an export
            </Button>
          </div>
          {request.error && <ProblemNotice error={request.error} title="The export was not asked for" />}
          {rows.length === 0 ? (
            <p className="empty-state">No export has been made of this person.</p>
          ) : (
            <SimpleTable labelledBy="access-exports-heading" columns={[{ label: 'Asked' }, { label: 'Format' }, { label: 'State' }, { label: 'Download' }]}>
              {rows.map((item) => (
                <tr key={item.id}>
                  <td>{formatDateTime(item.createdAt)}</td>
                  <td>{formatNames[item.format] ?? item.format}</td>
                  <td>
                    <ExportStatus status={item.status} progress={item.progress} step={item.step} error={item.error} />
                  </td>
                  <td>
                    {item.status !== 'ready' ? (
                      '—'
                    ) : Date.parse(item.expiresAt) < now ? (
                      'Expired'
                    ) : (
                      <AccessExportLink contactId={contactId} exportId={item.id} fileName={item.fileName ?? `export.${item.format}`} />
                    )}
                  </td>
                </tr>
              ))}
            </SimpleTable>
          )}
        </div>
      )}
    </QueryPanel>
  );
}
