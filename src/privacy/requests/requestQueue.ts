import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { decodeCursor, encodeCursor, type CursorShape } from '../../shared/cursor.ts';
import type { RequestKind } from './deadlines.ts';
import { dueOnSql, type RightsRequest, selectRequests, todaySql, unconfirmedSql } from './requestRecords.ts';
import type { RequestState } from './requestStates.ts';

/*
 * The request queue: newest first, filtered by state, kind, and by deadline — `soon` is an
 * open request due within the next `dueSoonDays` days of its jurisdiction (today included),
 * `overdue` an open one whose due date has passed there, `unconfirmed` an open one whose
 * receipt is still to be confirmed (CCPA). A confirmation is due soon within the last
 * `confirmationSoonDays` days before its confirm-by date: its whole window is 10 business days.
 */

export const dueSoonDays = 7;
export const confirmationSoonDays = 3;
export type DueFilter = 'soon' | 'overdue' | 'unconfirmed';
export type RequestQuery = { state?: RequestState; kind?: RequestKind; due?: DueFilter; cursor?: string; limit: number };

const cursorShape: CursorShape = { sort: 'receivedAt', value: 'timestamp' };

export const dueSoonSql = sql`(r.closed_at is null and ${dueOnSql} >= ${todaySql} and ${dueOnSql} < ${todaySql} + ${dueSoonDays}::int)`;
export const overdueSql = sql`(r.closed_at is null and ${dueOnSql} < ${todaySql})`;
export const confirmationSoonSql = sql`(${unconfirmedSql} and r.acknowledge_by >= ${todaySql} and r.acknowledge_by < ${todaySql} + ${confirmationSoonDays}::int)`;

export async function listRightsRequests(tx: Executor, tenantId: string, query: RequestQuery): Promise<{ data: RightsRequest[]; nextCursor: string | null }> {
  const conditions: SQL[] = [sql`true`];
  if (query.state) conditions.push(sql`r.state = ${query.state}`);
  if (query.kind) conditions.push(sql`r.kind = ${query.kind}`);
  if (query.due === 'soon') conditions.push(dueSoonSql);
  if (query.due === 'overdue') conditions.push(overdueSql);
  if (query.due === 'unconfirmed') conditions.push(unconfirmedSql);
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor, cursorShape);
    conditions.push(sql`(r.received_at, r.id) < (${cursor.value as string}::timestamptz, ${cursor.id}::uuid)`);
  }
  const rows = await selectRequests(tx, tenantId, sql.join(conditions, sql` and `), sql`order by r.received_at desc, r.id desc limit ${query.limit + 1}`);
  const data = rows.slice(0, query.limit);
  const last = data.at(-1);
  const nextCursor = rows.length > query.limit && last ? encodeCursor({ sort: 'receivedAt', value: last.receivedAt.toISOString(), id: last.id }) : null;
  return { data, nextCursor };
}
