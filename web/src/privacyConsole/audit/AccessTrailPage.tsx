import { Link, useParams } from 'react-router';
import { AuditEntriesTable } from './AuditEntriesTable.tsx';
import { useAuditEntries } from './useAuditEntries.ts';

/** One person's access trail: every access to their data, by whom and for which purpose (the audit trail filtered by subject). */
export function AccessTrailPage() {
  const { subjectId = '' } = useParams();
  const entries = useAuditEntries({ subjectId });
  return (
    <section className="page" aria-labelledby="trail-heading">
      <p className="breadcrumb">
        <Link to={`/contacts/${subjectId}`}>← The contact</Link>
      </p>
      <header className="page-header">
        <h1 id="trail-heading">Who accessed this person&apos;s data</h1>
        <p className="muted">Every read and change of their data, for which purpose and which fields, oldest first. This view is recorded in it too.</p>
      </header>
      <AuditEntriesTable label="Access trail" query={entries} empty="No one has accessed this person's data." />
    </section>
  );
}
