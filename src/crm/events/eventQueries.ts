import type { Executor } from '../../db/connection.ts';
import { isUuid } from '../../db/ids.ts';
import {
  eventSortColumns,
  listSubjectEvents,
  visitorExists,
  type EventRecord,
  type EventSubject,
  type PurposeContext,
  type WithheldField,
} from '../../kernel/index.ts';
import { defaultPageSize, maxPageSize } from '../../shared/cursor.ts';
import { assertCursorFits, pageOf, parseSort } from '../../shared/keyset.ts';
import { invalid, notFound } from '../../shared/domainError.ts';
import { existingContactIds } from './contactReferences.ts';
import { eventTypes, type EventType } from './eventInput.ts';

export type EventListQuery = { sort?: string; cursor?: string; limit?: number; type?: EventType };
export type EventPage = { data: EventRecord[]; withheld: WithheldField[]; nextCursor: string | null };

/** A subject's events, newest first by default, paged by a cursor over (occurredAt, id). */
async function listEvents(ctx: PurposeContext, executor: Executor, subject: EventSubject, query: EventListQuery): Promise<EventPage> {
  const order = parseSort(query.sort, eventSortColumns, '-occurred_at');
  const limit = query.limit ?? defaultPageSize;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxPageSize) throw invalid('limit', `must be 1 to ${maxPageSize}`);
  if (query.type && !eventTypes.includes(query.type)) throw invalid('type', `must be one of ${eventTypes.join(', ')}`);
  // Checked here too: a subject the purpose may not see is answered without reading the cursor.
  assertCursorFits(order, query.cursor);
  const read = await listSubjectEvents(executor, ctx, { subject, order, cursor: query.cursor, limit, type: query.type });
  return {
    ...pageOf(
      read.events,
      limit,
      order,
      (row) => row.occurredAt,
      (row) => row.id,
    ),
    withheld: read.withheld,
  };
}

export async function listContactEvents(ctx: PurposeContext, executor: Executor, contactId: string, query: EventListQuery): Promise<EventPage> {
  if (!isUuid(contactId) || !(await existingContactIds(executor, ctx.tenantId, [contactId])).has(contactId.toLowerCase())) throw notFound('contact');
  return listEvents(ctx, executor, { contactId: contactId.toLowerCase() }, query);
}

export async function listVisitorEvents(ctx: PurposeContext, executor: Executor, visitorId: string, query: EventListQuery): Promise<EventPage> {
  if (!isUuid(visitorId) || !(await visitorExists(executor, ctx, visitorId.toLowerCase()))) throw notFound('visitor');
  return listEvents(ctx, executor, { visitorId: visitorId.toLowerCase() }, query);
}
