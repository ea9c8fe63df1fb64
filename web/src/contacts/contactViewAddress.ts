import type { SavedView } from '../api/types.ts';
import { chosenColumns, columnParameters, parseColumns } from './contactColumnChoice.ts';
import { type ContactFilters, filterParameters, filterQuery, parseFilters } from './contactFilters.ts';
import { type ContactSort, parseSort, sortParameter } from './contactSort.ts';

// A saved view of the contacts list and the page's address, each made from the other. The view
// holds the API's own terms (filters as GET /contacts takes them, its sort, field names as
// columns); the address holds the page's shorter ones (stage, source, owner=me, sort, columns)
// and the open view's id. Neither ever holds a personal value.

/** What the contacts page shows, as its address keeps it. */
export type ContactsAddress = { sort: ContactSort; filters: ContactFilters; columns: string[]; viewId: string | null };

/** What a view stores, as the API takes it; sort and columns always spelled out, so two can be compared. */
export type ContactViewContent = { filters: Record<string, string>; sort: string; columns: string[] };

export function parseContactsAddress(params: URLSearchParams): ContactsAddress {
  return { sort: parseSort(params.get('sort')), filters: parseFilters(params), columns: parseColumns(params.get('columns')), viewId: params.get('view') };
}

/** The address parameters of a state of the page; the default columns and no open view leave theirs out. */
export function contactsAddressParameters(address: ContactsAddress): Record<string, string> {
  return {
    ...(address.viewId ? { view: address.viewId } : {}),
    sort: sortParameter(address.sort),
    ...filterParameters(address.filters),
    ...columnParameters(address.columns),
  };
}

/**
 * The page's state a saved view makes: its filters the page knows (stage, source, and owner
 * when it is the signed-in user: "Only mine"), its sort (the list's default when it has none),
 * its columns (the default when it has none), and the view as the open one.
 */
export function addressOfView(view: Pick<SavedView, 'id' | 'filters' | 'sort' | 'columns'>, userId: string | undefined): ContactsAddress {
  const { lifecycleStage, source, ownerId } = view.filters;
  const known = new URLSearchParams({
    ...(lifecycleStage ? { stage: lifecycleStage } : {}),
    ...(source ? { source } : {}),
    ...(ownerId !== undefined && ownerId === userId ? { owner: 'me' } : {}),
  });
  return { sort: parseSort(view.sort), filters: parseFilters(known), columns: chosenColumns(view.columns), viewId: view.id };
}

/** What "Save view" or "Update view" stores for the page as it is: its filters as the API's parameters ("mine" as the user's id). */
export function viewContentOfAddress(address: ContactsAddress, userId: string | undefined): ContactViewContent {
  return { filters: { ...filterQuery(address.filters, userId) }, sort: sortParameter(address.sort), columns: [...address.columns] };
}

/** A stored view's content with its defaults spelled out, as the page would save it again. */
export function storedViewContent(view: Pick<SavedView, 'filters' | 'sort' | 'columns'>): ContactViewContent {
  return { filters: { ...view.filters }, sort: sortParameter(parseSort(view.sort)), columns: chosenColumns(view.columns) };
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((item, index) => item === b[index]);
const filterEntries = (filters: Record<string, string>) =>
  Object.entries(filters)
    .sort(([a], [b]) => a.localeCompare(b))
    .flat();

/** Whether the page shows what the view stores (for "Update view": only a changed view may be updated). */
export const sameViewContent = (a: ContactViewContent, b: ContactViewContent): boolean =>
  a.sort === b.sort && sameList(a.columns, b.columns) && sameList(filterEntries(a.filters), filterEntries(b.filters));
