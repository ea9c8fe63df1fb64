import type { UseInfiniteQueryResult, InfiniteData } from '@tanstack/react-query';
import { Button } from 'react-aria-components';
import { purposeLabel } from '../../purpose/purposeLabels.ts';
import { formatDateTime } from '../../ui/format.ts';
import { Loading } from '../../ui/Loading.tsx';
import { ProblemNotice } from '../../ui/ProblemNotice.tsx';
import { actorName } from './actorName.ts';
import type { AuditEntry } from '../../api/types.ts';
import { useUserNames } from './useAuditEntries.ts';

type AuditPages = InfiniteData<{ data: AuditEntry[]; nextCursor?: string | null }>;

type AuditEntriesTableProps = {
  label: string;
  query: UseInfiniteQueryResult<AuditPages>;
  empty: string;
};

const decisionLabels: Record<AuditEntry['decision'], string> = { allow: 'Allowed', deny: 'Denied', partial: 'Partly allowed' };

/** Audit entries: when, who, what, for which purpose, which fields (never values), and the decision; more on request. */
export function AuditEntriesTable({ label, query, empty }: AuditEntriesTableProps) {
  const userNames = useUserNames();
  if (query.isPending) return <Loading what="the audit trail" />;
  if (query.isError) return <ProblemNotice error={query.error} title="The audit trail could not be loaded" />;
  const entries = query.data.pages.flatMap((page) => page.data);
  if (entries.length === 0) return <p className="empty-state">{empty}</p>;
  return (
    <>
      <p className="table-summary" role="status">
        {entries.length} {entries.length === 1 ? 'entry' : 'entries'} shown, oldest first{query.hasNextPage ? '; more follow' : ''}.
      </p>
      <div className="console-table-wrap">
        <table className="console-table audit-table" aria-label={label}>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Purpose</th>
              <th scope="col">Fields</th>
              <th scope="col">Decision</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.sequence}>
                <td>{entry.sequence}</td>
                <td>
                  <time dateTime={entry.occurredAt}>{formatDateTime(entry.occurredAt)}</time>
                </td>
                <td>{actorName(entry.actor, userNames.data)}</td>
                <td>
                  <code>{entry.action}</code>
                </td>
                <td>{entry.purpose ? purposeLabel(entry.purpose) : <span className="muted">None</span>}</td>
                <td>{entry.fields.length > 0 ? entry.fields.join(', ') : <span className="muted">None</span>}</td>
                <td className={`decision decision-${entry.decision}`}>{decisionLabels[entry.decision]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {query.hasNextPage && (
        <Button className="button load-more" isPending={query.isFetchingNextPage} onPress={() => void query.fetchNextPage()}>
          Show more entries
        </Button>
      )}
    </>
  );
}
