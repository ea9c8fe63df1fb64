import { useState } from 'react';
import { Button } from 'react-aria-components';
import { Link, useSearchParams } from 'react-router';
import { usePermission } from '../../session/usePermission.ts';
import { formatDateTime } from '../../ui/format.ts';
import { QueryPanel } from '../../ui/QueryPanel.tsx';
import { SimpleTable } from '../../ui/SimpleTable.tsx';
import { PlaceLegalHoldForm } from './PlaceLegalHoldForm.tsx';
import { ReleaseLegalHoldButton } from './ReleaseLegalHoldButton.tsx';
import { useLegalHolds } from './useLegalHolds.ts';

/*
 * Legal holds in the privacy console (/privacy/legal-holds): every hold with the person held
 * (an id, linked to the contact), its reason, since when, and when it was released; placing
 * one (opened from a contact's page with ?subject=…) and releasing one after confirming.
 * The API audits each of them (src/http/routes/legalHolds.ts).
 */
export function LegalHoldsPage() {
  const holds = useLegalHolds();
  const mayWrite = usePermission('legal_hold:write');
  const [params, setParams] = useSearchParams();
  const subject = params.get('subject') ?? '';
  const [placing, setPlacing] = useState(subject !== '');
  const closeForm = () => {
    setPlacing(false);
    if (subject !== '') setParams({}, { replace: true });
  };
  return (
    <section className="page stack" aria-labelledby="legal-holds-heading">
      <h1 id="legal-holds-heading">Legal holds</h1>
      <p className="muted">
        A legal hold keeps a person&apos;s data while the law requires it (GDPR Art. 17(3)): no erasure request and no retention sweep reaches them until it is
        released. Keep the reason to the obligation or claim, never the person&apos;s data.
      </p>
      {mayWrite &&
        (placing ? (
          <PlaceLegalHoldForm subjectId={subject} onDone={closeForm} />
        ) : (
          <div>
            <Button className="button button-primary" onPress={() => setPlacing(true)}>
              Place a legal hold
            </Button>
          </div>
        ))}
      <QueryPanel
        id="legal-holds-list-heading"
        title="Holds"
        query={holds}
        what="the legal holds"
        empty={(rows) => (rows.length === 0 ? 'No legal hold has been placed.' : null)}
      >
        {(rows) => (
          <SimpleTable
            labelledBy="legal-holds-list-heading"
            columns={[{ label: 'Person' }, { label: 'Reason' }, { label: 'Since' }, { label: 'Released' }, { label: 'Actions', hidden: true }]}
          >
            {rows.map((hold) => (
              <tr key={hold.id}>
                <td>
                  <Link to={`/contacts/${hold.subjectId}`}>{hold.subjectId}</Link>
                </td>
                <td>{hold.reason}</td>
                <td>{formatDateTime(hold.createdAt)}</td>
                <td>{hold.releasedAt ? formatDateTime(hold.releasedAt) : 'Active'}</td>
                <td>{mayWrite && !hold.releasedAt && <ReleaseLegalHoldButton id={hold.id} subjectId={hold.subjectId} />}</td>
              </tr>
            ))}
          </SimpleTable>
        )}
      </QueryPanel>
    </section>
  );
}
