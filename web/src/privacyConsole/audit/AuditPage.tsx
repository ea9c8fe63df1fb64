import { useSearchParams } from 'react-router';
import { AuditEntriesTable } from './AuditEntriesTable.tsx';
import { AuditFiltersForm } from './AuditFiltersForm.tsx';
import { filtersFrom } from './auditFilters.ts';
import { useAuditEntries } from './useAuditEntries.ts';
import { VerifyChainPanel } from './VerifyChainPanel.tsx';

/** The workspace's audit trail, filtered by what the API allows, and the check of its hash chain. */
export function AuditPage() {
  const [search, setSearch] = useSearchParams();
  const filters = filtersFrom(search);
  const entries = useAuditEntries(filters);
  return (
    <section className="page" aria-labelledby="audit-heading">
      <header className="page-header">
        <h1 id="audit-heading">Audit trail</h1>
        <p className="muted">Who did what, for which purpose, to which fields — never the values. Reading the trail is recorded too.</p>
      </header>
      <VerifyChainPanel />
      <section className="panel" aria-labelledby="entries-heading">
        <h2 id="entries-heading">Entries</h2>
        <AuditFiltersForm
          values={filters}
          onApply={(values) => setSearch(Object.fromEntries(Object.entries(values).filter(([, value]) => value !== '')) as Record<string, string>)}
        />
        <AuditEntriesTable label="Audit entries" query={entries} empty="No entry matches these filters." />
      </section>
    </section>
  );
}
