import { z } from 'zod';
import { activitySorts } from '../../crm/activities/activities.ts';
import { companySortColumns } from '../../crm/companies/companyService.ts';
import { listCustomFields, type CustomFieldObject } from '../../crm/customFields/definitions.ts';
import { dealSorts } from '../../crm/deals/deals.ts';
import { purchaseSorts } from '../../crm/purchases/purchases.ts';
import type { ViewContent, ViewObject } from '../../crm/views/savedViews.ts';
import type { Executor } from '../../db/connection.ts';
import { contactSortColumns, type AccessContext } from '../../kernel/index.ts';
import { DomainError, type FieldIssue } from '../../shared/domainError.ts';
import { parseSort, type SortColumn } from '../../shared/keyset.ts';
import type { Action } from '../../shared/roles.ts';
import { activityListQuery, activitySchema } from './activities.ts';
import { companyListQuery, companySchema } from './companies.ts';
import { contactListQuery, contactResponse } from './contactSchemas.ts';
import { dealListQuery, dealSchema } from './deals.ts';
import { purchaseListQuery, purchaseSchema } from './purchases.ts';

/*
 * What a saved view of each list may hold, taken from the list itself: its filters are the
 * list route's own query parameters (checked by the same schema, so a view's filters are
 * exactly what GET /<list> accepts), its sorts the service's sort columns, its columns the
 * fields of the list's records plus the workspace's custom fields of that object
 * (`customFields.<key>`). A view that passes here can be replayed as a request.
 */

type ListDefinition = {
  query: z.ZodObject;
  sorts: Record<string, SortColumn>;
  record: z.ZodObject;
  /** Whose role may read the list: only they may save a view of it. */
  readAction: Action;
  customFieldObject?: CustomFieldObject;
};

const lists: Record<ViewObject, ListDefinition> = {
  contacts: { query: contactListQuery, sorts: contactSortColumns, record: contactResponse, readAction: 'contact:read', customFieldObject: 'contact' },
  companies: { query: companyListQuery, sorts: companySortColumns, record: companySchema, readAction: 'company:read', customFieldObject: 'company' },
  deals: { query: dealListQuery, sorts: dealSorts, record: dealSchema, readAction: 'deal:read', customFieldObject: 'deal' },
  activities: { query: activityListQuery, sorts: activitySorts, record: activitySchema, readAction: 'activity:read' },
  purchases: { query: purchaseListQuery, sorts: purchaseSorts, record: purchaseSchema, readAction: 'purchase:read' },
};

/** Query parameters that page, sort or count a list rather than filter it. */
const listControls = new Set(['cursor', 'limit', 'sort', 'count', 'explain']);

export const viewReadAction = (object: ViewObject): Action => lists[object].readAction;

/** The filters a view of `object` may hold: the list's query parameters, paging, sorting and counting aside. */
export function viewFilterNames(object: ViewObject): string[] {
  return Object.keys(lists[object].query.shape).filter((name) => !listControls.has(name));
}

function filterIssues(object: ViewObject, filters: Record<string, string>): FieldIssue[] {
  const allowed = viewFilterNames(object);
  const issues: FieldIssue[] = Object.keys(filters)
    .filter((name) => !allowed.includes(name))
    .map((name) => ({ field: `filters.${name}`, reason: `not a filter of ${object}; use one of ${allowed.join(', ')}` }));
  const shape = Object.fromEntries(allowed.map((name) => [name, lists[object].query.shape[name]]));
  const parsed = z.object(shape).safeParse(Object.fromEntries(Object.entries(filters).filter(([name]) => allowed.includes(name))));
  for (const issue of parsed.success ? [] : parsed.error.issues) issues.push({ field: ['filters', ...issue.path].join('.'), reason: issue.message });
  return issues;
}

function sortIssues(object: ViewObject, sort: string | null): FieldIssue[] {
  if (sort === null) return [];
  try {
    parseSort(sort, lists[object].sorts, sort);
    return [];
  } catch (error) {
    if (error instanceof DomainError) return error.issues;
    throw error;
  }
}

async function columnIssues(db: Executor, ctx: AccessContext, object: ViewObject, columns: string[]): Promise<FieldIssue[]> {
  const list = lists[object];
  const fields = Object.keys(list.record.shape).filter((name) => name !== 'customFields');
  const custom = list.customFieldObject ? (await listCustomFields(db, ctx, list.customFieldObject)).map((field) => `customFields.${field.key}`) : [];
  const allowed = new Set([...fields, ...custom]);
  return columns.flatMap((column, index) => {
    if (!allowed.has(column)) {
      const customNote = list.customFieldObject ? ', or customFields.<key> of a custom field' : '';
      return [{ field: `columns.${index}`, reason: `not a field of ${object}; use one of ${fields.join(', ')}${customNote}` }];
    }
    return columns.indexOf(column) < index ? [{ field: `columns.${index}`, reason: 'listed twice' }] : [];
  });
}

/** Refuses (422, each issue naming its field) a view whose filters, sort or columns its list would not accept. */
export async function assertViewFitsList(db: Executor, ctx: AccessContext, object: ViewObject, view: Partial<ViewContent>): Promise<void> {
  const issues = [
    ...(view.filters ? filterIssues(object, view.filters) : []),
    ...(view.sort !== undefined ? sortIssues(object, view.sort) : []),
    ...(view.columns ? await columnIssues(db, ctx, object, view.columns) : []),
  ];
  if (issues.length > 0) {
    throw new DomainError('validation_failed', `The view does not fit the ${object} list: ${issues.map((issue) => issue.field).join(', ')}.`, issues);
  }
}
