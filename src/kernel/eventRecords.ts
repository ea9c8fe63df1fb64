import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Executor, Transaction } from '../db/connection.ts';
import { events } from '../db/schema/index.ts';
import { keysetCondition, keysetOrderBy, type SortColumn, type SortOrder } from '../shared/keyset.ts';
import type { PurposeContext } from './accessContext.ts';
import { appendAudit } from './audit.ts';
import { inTransaction } from './audit/head.ts';
import { permittedSubjectsCondition } from './policy/permittedSubjects.ts';
import { objectPolicy, writePolicy } from './callPolicy.ts';
import { kernelKeyStore } from './runtime.ts';
import type { SubjectReason } from './policy/decide.ts';
import {
  eventSubjectId,
  openEventProperties,
  propertiesField,
  sealProperties,
  unrecoverableProperties,
  type EventPropertyValue,
  type SealedEvent,
} from './eventSeals.ts';
import { asSubjectReasons, deniedReasonsColumn, fieldAccess, WithheldList, type FieldAccess, type WithheldField } from './trackingAccess.ts';
import { ensureSubjectKeys } from './vault/index.ts';
import type { PolicyPurpose } from './policy/policyPurpose.ts';
import { subjectRulesRefusal, writeDenialsOf } from './subjectRules.ts';
import { rowsOf } from '../db/rows.ts';

/*
 * Behavioural events. Their properties are personal data of the event's subject and are
 * stored only sealed under that subject's key (src/kernel/eventSeals.ts). This file and
 * eventSeals.ts are the only code that reads or writes events.properties.
 *
 * The subject is the visitor while the event names one, else the contact. The catalog
 * declares event properties as the visitor's; an event sent for a known contact (contactId,
 * no visitor) has no visitor, and its properties are the contact's, so they are sealed under
 * the contact's key — the contact's erasure then shreds them with the rest of the contact.
 * A merge re-seals the merged subject's events under the contact's key (moveEventsToContact)
 * for the same reason: after it they are the contact's events.
 */

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
  /** Personal: the subject's event properties; null when withheld (see the read's `withheld`). */
  properties: Record<string, EventPropertyValue> | null;
};

export type EventRead = { events: EventRecord[]; withheld: WithheldField[] };

export type EventSubject = { contactId: string } | { visitorId: string };

export const eventSortColumns: Record<string, SortColumn> = {
  occurred_at: { column: events.occurredAt, kind: 'timestamp' },
};

const eventSubjectColumn = sql`coalesce(${events.visitorId}, ${events.contactId})`;

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

function copyLines(tenantId: string, rows: readonly NewEventRecord[], sealed: readonly string[]): string {
  let text = '';
  rows.forEach((row, position) => {
    text += `${tenantId}\t${row.id}\t${copyText(row.contactId)}\t${copyText(row.visitorId)}\t${copyText(row.type)}\t${copyText(row.occurredAt)}\t${copyText(sealed[position])}\n`;
  });
  return text;
}

export type InsertEventsOptions = {
  /** The request's name for the subject of the event at `position` (e.g. events[3].contactId); default `events[position]`. */
  fieldOf?: (position: number) => { index: number; field: string };
};

/**
 * The subject rules for writes (src/kernel/subjectRules.ts): events about a person who is
 * erased, restricted or objected to the purpose are refused, the whole batch, with 403
 * naming each refused event (at most 100) and its rule. One statement for every subject.
 */
async function refuseDeniedSubjects(
  tx: Executor,
  ctx: PurposeContext,
  purpose: PolicyPurpose,
  rows: readonly NewEventRecord[],
  subjectIds: string[],
  options: InsertEventsOptions,
): Promise<void> {
  const denials = await writeDenialsOf(tx, ctx, purpose, subjectIds);
  if (denials.size === 0) return;
  const name = options.fieldOf ?? ((position: number) => ({ index: position, field: `events[${position}]` }));
  const refused = rows.flatMap((row, position) => (denials.get(eventSubjectId(row)) ?? []).map((reason) => ({ ...name(position), reason })));
  const items = new Set(refused.map((issue) => issue.index)).size;
  throw subjectRulesRefusal(purpose, refused.slice(0, maxRefusalsReported), { refusedItems: items });
}

const maxRefusalsReported = 100;

/**
 * Inserts a batch in the caller's transaction, each event's properties sealed under its
 * subject's key: one ensureSubjectKeys for every subject of the batch (one SELECT, one
 * INSERT of the missing keys), then one load. On PostgreSQL it streams COPY (about twice
 * as fast as multi-row INSERT in bench/run.ts); on PGlite, which has no COPY FROM STDIN, one
 * INSERT … SELECT FROM unnest() of seven array parameters: no 65,535-parameter limit to chunk
 * around and no per-row SQL to build, as fast as a raw multi-row INSERT.
 * Events about a person the purpose may not write about are refused first (refuseDeniedSubjects).
 * Returns the distinct subject ids, for the caller's audit entry.
 */
export async function insertEvents(
  tx: Transaction,
  ctx: PurposeContext,
  rows: readonly NewEventRecord[],
  options: InsertEventsOptions = {},
): Promise<string[]> {
  if (rows.length === 0) return [];
  // Properties are the personal part of an event: only a purpose declared for them may collect them.
  const withProperties = rows.some((row) => Object.keys(row.properties).length > 0);
  const { purpose } = await writePolicy(tx, ctx, 'event', 'event.created', withProperties ? [propertiesField] : []);
  const subjectIds = [...new Set(rows.map(eventSubjectId))];
  await refuseDeniedSubjects(tx, ctx, purpose, rows, subjectIds, options);
  const keys = await ensureSubjectKeys(tx, kernelKeyStore(), ctx.tenantId, subjectIds);
  const sealed = rows.map((row) => sealProperties(keys.get(eventSubjectId(row))!, row.id, row.properties));
  const client = postgresClientOf(tx);
  if (client) {
    const copy = client.query(copyFrom('copy events (tenant_id, id, contact_id, visitor_id, type, occurred_at, properties) from stdin'));
    await pipeline(Readable.from([copyLines(ctx.tenantId, rows, sealed)]), copy);
    return subjectIds;
  }
  const column = <Value>(pick: (row: NewEventRecord) => Value) => sql.param(rows.map(pick));
  await tx.execute(sql`
    insert into events (tenant_id, id, contact_id, visitor_id, type, occurred_at, properties)
    select ${ctx.tenantId}, e.id, e.contact_id, e.visitor_id, e.type, e.occurred_at, e.properties
      from unnest(${column((row) => row.id)}::uuid[], ${column((row) => row.contactId)}::uuid[], ${column((row) => row.visitorId)}::uuid[],
                  ${column((row) => row.type)}::text[], ${column((row) => row.occurredAt)}::timestamptz[],
                  ${sql.param(sealed)}::jsonb[])
        as e(id, contact_id, visitor_id, type, occurred_at, properties)`);
  return subjectIds;
}

const subjectCondition = (ctx: PurposeContext, subject: EventSubject): SQL | undefined =>
  'contactId' in subject
    ? and(eq(events.tenantId, ctx.tenantId), eq(events.contactId, subject.contactId))
    : and(eq(events.tenantId, ctx.tenantId), eq(events.visitorId, subject.visitorId));

type EventRow = typeof events.$inferSelect;

/** Opens the properties of rows whose subject may be read; those that stay closed are null, their reason in `withheld`. */
async function openRows(tx: Executor, ctx: PurposeContext, rows: readonly EventRow[], withheld: WithheldList): Promise<EventRecord[]> {
  const opened = await openEventProperties(tx, ctx, rows);
  return rows.map((row, position) => {
    const result = opened[position];
    if ('withheld' in result) withheld.add(propertiesField, result.withheld);
    return toRecord(row, 'properties' in result ? result.properties : null);
  });
}

/**
 * One event through the policy (the answer to POST /events): its properties are opened
 * when the catalog declares them for the purpose and the subject's basis holds now, else
 * null and listed in `withheld`. Audited (event.read) with the subject's pseudonym.
 */
export async function readEvent(executor: Executor, ctx: PurposeContext, eventId: string): Promise<{ event: EventRecord; withheld: WithheldField[] } | null> {
  return inTransaction(executor, async (tx) => {
    const access = await fieldAccess(tx, ctx, 'event');
    const [row] = await tx
      .select({ event: events, denied: deniedReasonsColumn(ctx, access.purpose, new Date(), eventSubjectColumn) })
      .from(events)
      .where(and(eq(events.tenantId, ctx.tenantId), eq(events.id, eventId)))
      .limit(1);
    if (!row) return null;
    const withheld = new WithheldList(access.withheld);
    const denied = asSubjectReasons(row.denied);
    for (const reason of denied) withheld.add(propertiesField, reason);
    const readable = access.allowed.has(propertiesField) && denied.length === 0;
    const [event] = readable ? await openRows(tx, ctx, [row.event], withheld) : [toRecord(row.event, null)];
    await auditRead(tx, ctx, [event], [eventSubjectId(row.event)], withheld);
    return { event, withheld: withheld.list };
  });
}

/**
 * One page of a subject's events plus one extra row, so the caller can tell whether another
 * page follows. The subject's basis for the purpose is checked first (its reasons become
 * `withheld`, and no events are returned) and again in the query that reads the events;
 * properties are opened only when the catalog declares them for the purpose. Audited
 * (event.read) with the subject's pseudonym and the ids of the events returned.
 */
export async function listSubjectEvents(
  executor: Executor,
  ctx: PurposeContext,
  query: { subject: EventSubject; order: SortOrder; cursor?: string; limit: number; type?: string },
): Promise<EventRead> {
  return inTransaction(executor, async (tx) => {
    const access = await fieldAccess(tx, ctx, 'event');
    const now = new Date();
    const subjectId = 'contactId' in query.subject ? query.subject.contactId : query.subject.visitorId;
    const withheld = new WithheldList(access.withheld);
    const denied = await subjectDenials(tx, ctx, access, now, subjectId);
    for (const reason of denied) withheld.add(propertiesField, reason);
    if (denied.length > 0) {
      await auditRead(tx, ctx, [], [subjectId], withheld);
      return { events: [], withheld: withheld.list };
    }
    const rows = await tx
      .select()
      .from(events)
      .where(
        and(
          subjectCondition(ctx, query.subject),
          permittedSubjectsCondition(ctx.tenantId, access.purpose, now, eventSubjectColumn),
          query.type ? eq(events.type, query.type) : undefined,
          keysetCondition(query.order, events.id, query.cursor),
        ),
      )
      .orderBy(...keysetOrderBy(query.order, events.id))
      .limit(query.limit + 1);
    const records = access.allowed.has(propertiesField) ? await openRows(tx, ctx, rows, withheld) : rows.map((row) => toRecord(row, null));
    await auditRead(tx, ctx, records, [subjectId], withheld);
    return { events: records, withheld: withheld.list };
  });
}

async function subjectDenials(tx: Executor, ctx: PurposeContext, access: FieldAccess, now: Date, subjectId: string): Promise<SubjectReason[]> {
  const result = await tx.execute(sql`select ${deniedReasonsColumn(ctx, access.purpose, now, sql`${subjectId}::uuid`)} as denied`);
  const [row] = rowsOf<{ denied: unknown }>(result);
  return asSubjectReasons(row?.denied);
}

/** One audit entry per read: the subjects' pseudonyms, the events' ids, field names opened, never values. */
async function auditRead(tx: Executor, ctx: PurposeContext, records: readonly EventRecord[], subjectIds: string[], withheld: WithheldList): Promise<void> {
  const opened = records.some((record) => record.properties !== null);
  await appendAudit(tx, ctx, {
    action: 'event.read',
    object: 'event',
    recordIds: records.map((record) => record.id),
    fields: opened ? [propertiesField] : [],
    decision: withheld.list.length === 0 ? 'allow' : opened || records.length > 0 ? 'partial' : 'deny',
    reasons: withheld.reasons,
    subjectIds,
  });
}

// Events re-sealed per statement pair of a move: bounds the memory a long history takes.
const moveChunk = 5_000;

/**
 * Moves a merged subject's events — a visitor's, or a duplicate contact's — to the contact,
 * re-sealing their properties under the contact's key: they are the contact's from now on,
 * and go with its erasure. Properties no key can open any more move as the 'unrecoverable'
 * marker (src/kernel/eventSeals.ts); any other value that fails to open is an
 * integrity_error, and the caller's transaction moves nothing. Set-wise: per chunk of
 * events one SELECT and one UPDATE from unnest(). Returns how many moved.
 */
export async function moveEventsToContact(tx: Transaction, ctx: PurposeContext, from: EventSubject, contactId: string): Promise<number> {
  await objectPolicy(tx, ctx, 'event', 'event.moved');
  const contactKeys = (await ensureSubjectKeys(tx, kernelKeyStore(), ctx.tenantId, [contactId])).get(contactId)!;
  // A moved event leaves the selection (its visitor or contact changes), so each chunk reads the next.
  const stillThere = 'contactId' in from ? sql`e.contact_id = ${from.contactId}::uuid` : sql`e.visitor_id = ${from.visitorId}::uuid`;
  let moved = 0;
  for (;;) {
    const rows: SealedEvent[] = await tx
      .select({ id: events.id, contactId: events.contactId, visitorId: events.visitorId, receivedAt: events.receivedAt, properties: events.properties })
      .from(events)
      .where(subjectCondition(ctx, from))
      .limit(moveChunk);
    if (rows.length === 0) return moved;
    const opened = await openEventProperties(tx, ctx, rows);
    const resealed = rows.map((row, position) => {
      const result = opened[position];
      return 'properties' in result ? sealProperties(contactKeys, row.id, result.properties) : unrecoverableProperties;
    });
    await tx.execute(sql`
      update events as e set contact_id = ${contactId}::uuid, visitor_id = null, properties = m.properties
        from unnest(${sql.param(rows.map((row) => row.id))}::uuid[], ${sql.param(resealed)}::jsonb[]) as m(id, properties)
       where e.tenant_id = ${ctx.tenantId} and e.id = m.id and ${stillThere}`);
    moved += rows.length;
    if (rows.length < moveChunk) return moved;
  }
}

/** A merged visitor's events, moved to the contact (moveEventsToContact). */
export function moveVisitorEvents(tx: Transaction, ctx: PurposeContext, visitorId: string, contactId: string): Promise<number> {
  return moveEventsToContact(tx, ctx, { visitorId }, contactId);
}

function toRecord(row: EventRow, properties: Record<string, EventPropertyValue> | null): EventRecord {
  return {
    id: row.id,
    contactId: row.contactId,
    visitorId: row.visitorId,
    type: row.type,
    occurredAt: row.occurredAt,
    receivedAt: row.receivedAt,
    properties,
  };
}
