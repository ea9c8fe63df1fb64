import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Executor, Transaction } from '../db/connection.ts';
import { events } from '../db/schema/index.ts';
import { keysetCondition, keysetOrderBy, type SortColumn, type SortOrder } from '../platform/keyset.ts';
import type { AccessContext } from './accessContext.ts';

/*
 * Behavioural events. Their properties are personal data of the event's subject (a contact
 * or a visitor profile); this file is the only code that reads or writes events.properties.
 */

export type EventPropertyValue = string | number | boolean;

export type NewEventRecord = {
  id: string;
  contactId: string | null;
  visitorId: string | null;
  type: string;
  /** ISO 8601 instant. */
  occurredAt: string;
  properties: Record<string, EventPropertyValue>;
};

export type EventRecord = {
  id: string;
  contactId: string | null;
  visitorId: string | null;
  type: string;
  occurredAt: Date;
  receivedAt: Date;
  /** Personal: the subject's event properties. */
  properties: Record<string, EventPropertyValue>;
};

export type EventSubject = { contactId: string } | { visitorId: string };

export const eventSortColumns: Record<string, SortColumn> = {
  occurred_at: { column: events.occurredAt, kind: 'timestamp' },
};

/**
 * The pg client under a drizzle transaction on PostgreSQL, for COPY; null on PGlite (whose
 * transaction wraps a PGlite client, which has no COPY FROM STDIN). drizzle keeps the
 * session on the transaction object without exposing it in its types.
 */
function postgresClientOf(tx: Transaction): pg.ClientBase | null {
  const client = (tx as unknown as { session?: { client?: unknown } }).session?.client;
  return client instanceof pg.Client ? client : null;
}

// COPY text format: tab-separated, \N for NULL, and backslash, tab, newline and carriage
// return escaped with a backslash (which also rules out the end-of-data marker).
const copyEscapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const copyText = (value: string | null) => (value === null ? '\\N' : value.replace(/[\\\t\n\r]/g, (character) => copyEscapes[character]));

function copyLines(tenantId: string, rows: readonly NewEventRecord[]): string {
  let text = '';
  for (const row of rows) {
    text += `${tenantId}\t${row.id}\t${copyText(row.contactId)}\t${copyText(row.visitorId)}\t${copyText(row.type)}\t${copyText(row.occurredAt)}\t${copyText(JSON.stringify(row.properties))}\n`;
  }
  return text;
}

/**
 * Inserts a batch in the caller's transaction. On PostgreSQL it streams COPY (about twice
 * as fast as multi-row INSERT in bench/run.ts); on PGlite, which has no COPY FROM STDIN, one
 * INSERT … SELECT FROM unnest() of seven array parameters: no 65,535-parameter limit to chunk
 * around and no per-row SQL to build, as fast as a raw multi-row INSERT.
 */
export async function insertEvents(tx: Transaction, ctx: AccessContext, rows: readonly NewEventRecord[]): Promise<void> {
  if (rows.length === 0) return;
  const client = postgresClientOf(tx);
  if (client) {
    const copy = client.query(copyFrom('copy events (tenant_id, id, contact_id, visitor_id, type, occurred_at, properties) from stdin'));
    await pipeline(Readable.from([copyLines(ctx.tenantId, rows)]), copy);
    return;
  }
  const column = <Value>(pick: (row: NewEventRecord) => Value) => sql.param(rows.map(pick));
  await tx.execute(sql`
    insert into events (tenant_id, id, contact_id, visitor_id, type, occurred_at, properties)
    select ${ctx.tenantId}, e.id, e.contact_id, e.visitor_id, e.type, e.occurred_at, e.properties
      from unnest(${column((row) => row.id)}::uuid[], ${column((row) => row.contactId)}::uuid[], ${column((row) => row.visitorId)}::uuid[],
                  ${column((row) => row.type)}::text[], ${column((row) => row.occurredAt)}::timestamptz[],
                  ${column((row) => JSON.stringify(row.properties))}::jsonb[])
        as e(id, contact_id, visitor_id, type, occurred_at, properties)`);
}

const subjectCondition = (ctx: AccessContext, subject: EventSubject): SQL | undefined =>
  'contactId' in subject
    ? and(eq(events.tenantId, ctx.tenantId), eq(events.contactId, subject.contactId))
    : and(eq(events.tenantId, ctx.tenantId), eq(events.visitorId, subject.visitorId));

export async function readEvent(executor: Executor, ctx: AccessContext, eventId: string): Promise<EventRecord | null> {
  const [row] = await executor
    .select()
    .from(events)
    .where(and(eq(events.tenantId, ctx.tenantId), eq(events.id, eventId)))
    .limit(1);
  return row ? toRecord(row) : null;
}

/** One page of a subject's events plus one extra row, so the caller can tell whether another page follows. */
export async function listSubjectEvents(
  executor: Executor,
  ctx: AccessContext,
  query: { subject: EventSubject; order: SortOrder; cursor?: string; limit: number; type?: string },
): Promise<EventRecord[]> {
  const rows = await executor
    .select()
    .from(events)
    .where(and(subjectCondition(ctx, query.subject), query.type ? eq(events.type, query.type) : undefined, keysetCondition(query.order, events.id, query.cursor)))
    .orderBy(...keysetOrderBy(query.order, events.id))
    .limit(query.limit + 1);
  return rows.map(toRecord);
}

/** Moves a merged visitor's events to the contact; returns how many moved. */
export async function moveVisitorEvents(tx: Transaction, ctx: AccessContext, visitorId: string, contactId: string): Promise<number> {
  const moved = await tx
    .update(events)
    .set({ contactId, visitorId: null })
    .where(and(eq(events.tenantId, ctx.tenantId), eq(events.visitorId, visitorId)))
    .returning({ id: events.id });
  return moved.length;
}

function toRecord(row: typeof events.$inferSelect): EventRecord {
  return {
    id: row.id,
    contactId: row.contactId,
    visitorId: row.visitorId,
    type: row.type,
    occurredAt: row.occurredAt,
    receivedAt: row.receivedAt,
    properties: row.properties as Record<string, EventPropertyValue>,
  };
}
