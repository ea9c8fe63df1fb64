import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { problemIn } from '../api/problem.ts';
import { purposeLabel } from '../purpose/purposeLabels.ts';
import { usePurpose } from '../session/sessionContext.ts';
import { formatCount } from '../ui/format.ts';
import { Loading } from '../ui/Loading.tsx';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { WithheldSummary } from '../privacy/WithheldSummary.tsx';
import { ContactsTable } from './ContactsTable.tsx';
import { contactFieldLabel } from './contactFieldLabels.ts';
import { type ContactSort, parseSort, sortParameter } from './contactSort.ts';
import { useContactPages } from './useContactPages.ts';

function countText(total: number | undefined, lowerBound: boolean, loaded: number): string {
  if (total === undefined) return `${formatCount(loaded)} contacts loaded`;
  return lowerBound ? `More than ${formatCount(total)} contacts` : `${formatCount(total)} ${total === 1 ? 'contact' : 'contacts'}`;
}

/** The contacts the current purpose may process, newest first unless the user sorts otherwise (kept in the address). */
export function ContactsPage() {
  const purpose = usePurpose();
  const [params, setParams] = useSearchParams();
  const sort = parseSort(params.get('sort'));
  const pages = useContactPages(purpose, sort);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = pages;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  const changeSort = (next: ContactSort) => setParams((current) => ({ ...Object.fromEntries(current), sort: sortParameter(next) }), { replace: true });

  return (
    <section className="page" aria-labelledby="contacts-heading">
      <div className="page-header">
        <h1 id="contacts-heading">Contacts</h1>
        <p className="muted">
          The people {purposeLabel(purpose)} may process. A person whose data may not be used for it is not listed; a field it may not use is shown as withheld.
        </p>
      </div>
      {pages.isPending ? (
        <Loading what="contacts" />
      ) : pages.isError ? (
        <ProblemNotice error={pages.error} title={problemIn(pages.error)?.status === 403 ? 'You may not see contacts' : 'The contacts could not be loaded'} />
      ) : pages.data.rows.length === 0 ? (
        <p className="empty-state">No contacts yet, or none that {purposeLabel(purpose)} may process.</p>
      ) : (
        <>
          <div className="table-summary">
            <p role="status">
              {countText(pages.data.total, pages.data.totalIsLowerBound, pages.data.rows.length)}
              {isFetchingNextPage && ' · loading more…'}
            </p>
            <WithheldSummary withheld={pages.data.withheld} label={contactFieldLabel} />
          </div>
          <ContactsTable
            rows={pages.data.rows}
            total={pages.data.totalIsLowerBound ? undefined : pages.data.total}
            sort={sort}
            onSort={changeSort}
            hasMore={hasNextPage}
            loadMore={loadMore}
          />
        </>
      )}
    </section>
  );
}
