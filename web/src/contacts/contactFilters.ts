import type { ContactListQuery } from '../api/types.ts';

export type LifecycleStage = NonNullable<ContactListQuery['lifecycleStage']>;
export type ContactSource = NonNullable<ContactListQuery['source']>;

// Every value the API knows, named: a record, so a value added to the API fails the type check here.
export const stageLabels: Record<LifecycleStage, string> = {
  subscriber: 'Subscriber',
  lead: 'Lead',
  marketing_qualified_lead: 'Marketing qualified lead',
  sales_qualified_lead: 'Sales qualified lead',
  opportunity: 'Opportunity',
  customer: 'Customer',
  evangelist: 'Evangelist',
  other: 'Other',
};

export const sourceLabels: Record<ContactSource, string> = { form: 'Form', import: 'Import', api: 'API', staff: 'Entered by staff' };

/** The list's filters, on attributes that are never personal values, kept in the page's address. */
export type ContactFilters = { stage: LifecycleStage | null; source: ContactSource | null; mine: boolean };

const known = <T extends string>(labels: Record<T, string>, value: string | null): T | null =>
  value !== null && Object.hasOwn(labels, value) ? (value as T) : null;

export function parseFilters(params: URLSearchParams): ContactFilters {
  return { stage: known(stageLabels, params.get('stage')), source: known(sourceLabels, params.get('source')), mine: params.get('owner') === 'me' };
}

/** The filters as address parameters (absent when not set). */
export function filterParameters(filters: ContactFilters): Record<string, string> {
  return {
    ...(filters.stage ? { stage: filters.stage } : {}),
    ...(filters.source ? { source: filters.source } : {}),
    ...(filters.mine ? { owner: 'me' } : {}),
  };
}

/** The filters as the API's query parameters; "mine" is the signed-in user's id. */
export function filterQuery(filters: ContactFilters, userId: string | undefined): Pick<ContactListQuery, 'lifecycleStage' | 'source' | 'ownerId'> {
  return {
    ...(filters.stage ? { lifecycleStage: filters.stage } : {}),
    ...(filters.source ? { source: filters.source } : {}),
    ...(filters.mine && userId ? { ownerId: userId } : {}),
  };
}
