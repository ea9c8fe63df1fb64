import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { dataOf } from '../../api/problem.ts';
import { formatCount, formatDateTime } from '../../ui/format.ts';
import { QueryPanel } from '../../ui/QueryPanel.tsx';
import { SimpleTable } from '../../ui/SimpleTable.tsx';

/*
 * The retention sweep as the privacy console shows it: what tonight's sweep would remove now
 * (GET /api/v1/retention/preview, a dry run that changes nothing) and the proofs of deletion
 * the sweeps wrote (GET /api/v1/retention/proofs). Ids and counts only, never a person's data.
 */
export function RetentionPage() {
  const preview = useQuery({ queryKey: ['retention', 'preview'], queryFn: async () => dataOf(await api.GET('/api/v1/retention/preview')).data });
  const proofs = useQuery({ queryKey: ['retention', 'proofs'], queryFn: async () => dataOf(await api.GET('/api/v1/retention/proofs')).data });
  return (
    <section className="page stack" aria-labelledby="retention-heading">
      <h1 id="retention-heading">Retention</h1>
      <p className="muted">
        Each purpose keeps a person for its retention period, counted from its anchor. Every night at 02:30 UTC the sweep erases (or anonymises) the people no
        purpose keeps any longer and the events past their period; legal holds and restrictions keep people.
      </p>
      <QueryPanel id="retention-preview-heading" title="What the sweep would remove now" query={preview} what="the retention preview">
        {(data) => (
          <>
            <dl className="field-list">
              <div className="field-row">
                <dt>People who would go</dt>
                <dd>{formatCount(data.total)}</dd>
              </div>
              <div className="field-row">
                <dt>Kept under a legal hold</dt>
                <dd>{formatCount(data.held.length)}</dd>
              </div>
              <div className="field-row">
                <dt>Kept while restricted</dt>
                <dd>{formatCount(data.restricted.length)}</dd>
              </div>
              <div className="field-row">
                <dt>Events that would expire</dt>
                <dd>
                  {formatCount(data.expiredEvents)}
                  {data.eventsBefore && ` (older than ${formatDateTime(data.eventsBefore)})`}
                </dd>
              </div>
            </dl>
            {data.subjects.length > 0 && (
              <SimpleTable labelledBy="retention-preview-heading" columns={[{ label: 'Person' }, { label: 'Kind' }, { label: 'Would be' }]}>
                {data.subjects.map((subject) => (
                  <tr key={subject.subjectId}>
                    <td>{subject.kind === 'contact' ? <Link to={`/contacts/${subject.subjectId}`}>{subject.subjectId}</Link> : subject.subjectId}</td>
                    <td>{subject.kind}</td>
                    <td>{subject.action === 'erase' ? 'erased' : 'anonymised'}</td>
                  </tr>
                ))}
              </SimpleTable>
            )}
          </>
        )}
      </QueryPanel>
      <QueryPanel
        id="retention-proofs-heading"
        title="Proofs of deletion"
        query={proofs}
        what="the proofs of deletion"
        empty={(rows) => (rows.length === 0 ? 'No sweep has removed anything yet.' : null)}
      >
        {(rows) => (
          <SimpleTable
            labelledBy="retention-proofs-heading"
            keyboardScroll
            columns={[
              { label: 'Written' },
              { label: 'Erased', numeric: true },
              { label: 'Anonymised', numeric: true },
              { label: 'Kept', numeric: true },
              { label: 'Events expired', numeric: true },
              { label: 'Audit entry', numeric: true },
            ]}
          >
            {rows.map((proof) => (
              <tr key={proof.id}>
                <td>{formatDateTime(proof.createdAt)}</td>
                <td className="numeric">{formatCount(proof.erasedSubjects)}</td>
                <td className="numeric">{formatCount(proof.anonymisedSubjects)}</td>
                <td className="numeric">{formatCount(proof.heldSubjects)}</td>
                <td className="numeric">{formatCount(proof.expiredEvents)}</td>
                <td className="numeric">{proof.auditSequence}</td>
              </tr>
            ))}
          </SimpleTable>
        )}
      </QueryPanel>
    </section>
  );
}
