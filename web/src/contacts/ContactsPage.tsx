import { useCallback, useMemo, useState } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import { problemIn } from '../api/problem.ts';
import { WithheldSummary } from '../privacy/WithheldSummary.tsx';
import { purposeLabel } from '../purpose/purposeLabels.ts';
import { SavedViewsBar } from '../savedViews/SavedViewsBar.tsx';
import { usePurpose, useSession } from '../session/sessionContext.ts';
import { formatCount } from '../ui/format.ts';
import { Loading } from '../ui/Loading.tsx';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { useDebouncedValue } from '../ui/useDebouncedValue.ts';
import { ContactsTable } from './ContactsTable.tsx';
import { ContactsToolbar } from './ContactsToolbar.tsx';
import { ColumnChooser } from './ColumnChooser.tsx';
import { contactColumnChoices, contactColumns } from './contactColumns.tsx';
import { contactFieldLabel } from './contactFieldLabels.ts';
import {
  addressOfView,
  type ContactsAddress,
  contactsAddressParameters,
  parseContactsAddress,
  sameViewContent,
  storedViewContent,
  viewContentOfAddress,
} from './contactViewAddress.ts';
import { searchCriteria } from './searchCriteria.ts';
import { useContactCustomFields } from '../contactEditing/useWritableFields.ts';
import { type ContactRows, useContactPages, useContactSearch } from './useContactPages.ts';
import '../styles/contactEditing.css';

function countText(rows: ContactRows, hasMore: boolean, searching: boolean): string {
  if (rows.total === undefined) {
    const found = `${formatCount(rows.rows.length)}${hasMore ? '+' : ''}`;
    return searching ? `${found} found` : `${found} contacts loaded`;
  }
  return rows.totalIsLowerBound ? `More than ${formatCount(rows.total)} contacts` : `${formatCount(rows.total)} ${rows.total === 1 ? 'contact' : 'contacts'}`;
}

/**
 * The contacts the current purpose may process: the list (filters, sort, columns and the open
 * saved view kept in the address, as they are never personal values) or a search (kept only in
 * the page: what the user typed is personal data and stays out of addresses and history).
 */
export function ContactsPage() {
  const purpose = usePurpose();
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const justDeleted = (useLocation().state as { deleted?: boolean } | null)?.deleted === true;
  const address = parseContactsAddress(params);
  const { sort, filters } = address;
  const userId = me?.user?.id;
  const customFields = useContactCustomFields(purpose);
  const customLabels = useMemo(() => new Map((customFields.data ?? []).map((field) => [field.key, field.label])), [customFields.data]);
  const columnKey = address.columns.join(',');
  const columns = useMemo(() => contactColumns(columnKey.split(','), customLabels), [columnKey, customLabels]);
  const [typed, setTyped] = useState('');
  const criteria = searchCriteria(useDebouncedValue(typed, 300));
  const searching = criteria !== null;
  const list = useContactPages(purpose, sort, filters, userId, !searching);
  const search = useContactSearch(purpose, criteria);
  const pages = searching ? search : list;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = pages;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  // A change of filter, sort or columns replaces the address; opening a view is a step back can undo.
  const setAddress = (change: Partial<ContactsAddress>, replace = true) => setParams(contactsAddressParameters({ ...address, ...change }), { replace });
  const content = viewContentOfAddress(address, userId);

  return (
    <section className="page" aria-labelledby="contacts-heading">
      <div className="page-header">
        <div className="page-title-row">
          <h1 id="contacts-heading">Contacts</h1>
          <Link className="button button-primary" to="/contacts/new">
            New contact
          </Link>
        </div>
        <p className="muted">
          The people {purposeLabel(purpose)} may process. A person whose data may not be used for it is not listed; a field it may not use is shown as withheld.
        </p>
      </div>
      {justDeleted && (
        <p className="notice notice-done" role="status">
          The contact was deleted.
        </p>
      )}
      <SavedViewsBar
        object="contacts"
        owner={userId}
        openViewId={address.viewId}
        content={content}
        isChanged={(view) => !sameViewContent(content, storedViewContent(view))}
        onOpen={(view) => setParams(view ? contactsAddressParameters(addressOfView(view, userId)) : {})}
        onClosed={() => setAddress({ viewId: null })}
      />
      <ContactsToolbar search={typed} onSearch={setTyped} filters={filters} onFilters={(next) => setAddress({ filters: next })} searching={searching}>
        <ColumnChooser
          columns={address.columns}
          choices={contactColumnChoices(address.columns, customLabels)}
          onChange={(next) => setAddress({ columns: next })}
        />
      </ContactsToolbar>
      {pages.isPending ? (
        <Loading what="contacts" />
      ) : pages.isError ? (
        <ProblemNotice error={pages.error} title={problemIn(pages.error)?.status === 403 ? 'You may not see contacts' : 'The contacts could not be loaded'} />
      ) : pages.data.rows.length === 0 ? (
        <p className="empty-state" role="status">
          {searching ? 'No contact matches, or none that ' : 'No contacts here, or none that '}
          {purposeLabel(purpose)} may process.
        </p>
      ) : (
        <>
          <div className="table-summary">
            <p role="status">
              {countText(pages.data, hasNextPage, searching)}
              {isFetchingNextPage && ' · loading more…'}
            </p>
            <WithheldSummary withheld={pages.data.withheld} label={contactFieldLabel} />
          </div>
          <ContactsTable
            rows={pages.data.rows}
            columns={columns}
            total={pages.data.totalIsLowerBound ? undefined : pages.data.total}
            sort={searching ? null : sort}
            onSort={(next) => setAddress({ sort: next })}
            hasMore={hasNextPage}
            loadMore={loadMore}
          />
        </>
      )}
    </section>
  );
}
