import { and, eq, sql } from 'drizzle-orm';
import type { Database, Executor, Transaction } from '../../db/connection.ts';
import { newId } from '../../db/ids.ts';
import { refreshStaleStatistics } from '../../db/statistics.ts';
import { auditEntries } from '../../db/schema/index.ts';
import {
  consentGate,
  insertEvents,
  readEvent,
  resolveAnonymousIds,
  type AnonymousSighting,
  type EventRecord,
  type NewEventRecord,
  type PurposeContext,
  type WithheldField,
} from '../../kernel/index.ts';
import { recordChange } from '../../platform/changes.ts';
import { runIdempotent, type IdempotencyRequest } from '../../platform/idempotency.ts';
import { DomainError } from '../../shared/domainError.ts';
import { existingContactIds } from './contactReferences.ts';
import { maxReportedItemErrors, validateEvent, validateEventBatch, type ItemIssue, type ValidEvent } from './eventInput.ts';

/** notStored: events not stored because their subject has no live consent to the purpose (minimisation at the door). */
export type EventBatchReceipt = { batchId: string; accepted: number; visitorsCreated: number; notStored: number };

/** Why events were counted but not stored. */
export const notStoredReason = 'no_live_consent' as const;

/**
 * The items that may be stored for the purpose: for a consent purpose, only those about a
 * subject with a live consent now (consentGate, one statement); the others are dropped
 * before anything is written, a new anonymous id's visitor profile included.
 */
async function admittedItems(tx: Executor, ctx: PurposeContext, items: Positioned[]): Promise<Positioned[]> {
  const admitted = await consentGate(
    tx,
    ctx,
    items.map(({ event }) => (event.anonymousId ? { anonymousId: event.anonymousId } : { contactId: event.contactId as string })),
  );
  return items.filter((_item, position) => admitted[position]);
}

const batchAction = 'event_batch.created';

type Positioned = { index: number; event: ValidEvent };

function refuse(issues: ItemIssue[], invalidItems: number, total: number): DomainError {
  const listed = [...issues].sort((a, b) => a.index - b.index).slice(0, maxReportedItemErrors);
  const noun = total === 1 ? 'The event is' : `${invalidItems} of ${total} events are`;
  return new DomainError('validation_failed', `${noun} invalid; nothing was stored.`, listed, { invalidItems });
}

/** Per-item issues for contact ids that are not contacts of this workspace (another workspace's included). */
async function unknownContactIssues(tx: Executor, ctx: PurposeContext, items: Positioned[], fieldOf: (index: number) => string): Promise<ItemIssue[]> {
  const wanted = items.flatMap((item) => (item.event.contactId ? [item.event.contactId] : []));
  const found = await existingContactIds(tx, ctx.tenantId, wanted);
  return items
    .filter((item) => item.event.contactId && !found.has(item.event.contactId))
    .map((item) => ({ index: item.index, field: fieldOf(item.index), reason: 'no contact with this id in this workspace' }));
}

function sightingsOf(items: Positioned[]): AnonymousSighting[] {
  const seen = new Map<string, AnonymousSighting>();
  for (const { event } of items) {
    if (!event.anonymousId) continue;
    const sighting = seen.get(event.anonymousId);
    if (!sighting) seen.set(event.anonymousId, { anonymousId: event.anonymousId, firstSeenAt: event.occurredAt, lastSeenAt: event.occurredAt });
    else if (event.occurredAt < sighting.firstSeenAt) sighting.firstSeenAt = event.occurredAt;
    else if (event.occurredAt > sighting.lastSeenAt) sighting.lastSeenAt = event.occurredAt;
  }
  return [...seen.values()];
}

/** How the request names an item's field: events[3].contactId in a batch, contactId alone. */
type ItemField = (index: number, key: 'contactId' | 'anonymousId') => string;
const batchField: ItemField = (index, key) => `events[${index}].${key}`;
const singleField: ItemField = (_index, key) => key;

/** Who an event is about: the visitor profile of its anonymous id, or the contact it names (or that profile was merged into). */
export type EventSubject = { visitorId: string | null; contactId: string | null };

/**
 * What the request itself says about its subject, recorded once the subject is resolved and
 * before its event is stored (a GPC opt-out: src/privacy/gpc.ts), in the same transaction.
 */
export type SubjectSignal = (tx: Transaction, subject: EventSubject) => Promise<unknown>;

/**
 * Resolves subjects (creating visitor profiles for new anonymous ids), hands each to the
 * request's signal, and inserts the events; the kernel refuses events about a person the
 * purpose may not write about (403 naming each item's contactId or anonymousId).
 */
async function storeEvents(
  tx: Transaction,
  ctx: PurposeContext,
  items: Positioned[],
  fieldName: ItemField,
  signal?: SubjectSignal,
): Promise<{ rows: NewEventRecord[]; subjectIds: string[]; visitorsCreated: number }> {
  const { subjects, createdVisitorIds } = await resolveAnonymousIds(tx, ctx, sightingsOf(items));
  const rows = items.map(({ event }): NewEventRecord => {
    const subject = event.anonymousId ? subjects.get(event.anonymousId) : undefined;
    return {
      id: newId(),
      contactId: subject ? subject.contactId : event.contactId,
      visitorId: subject ? subject.visitorId : null,
      type: event.type,
      occurredAt: event.occurredAt,
      properties: event.properties,
    };
  });
  if (signal) {
    for (const row of rows) await signal(tx, { visitorId: row.visitorId, contactId: row.contactId });
  }
  const subjectIds = await insertEvents(tx, ctx, rows, {
    fieldOf: (position) => {
      const { index, event } = items[position];
      return { index, field: fieldName(index, event.anonymousId ? 'anonymousId' : 'contactId') };
    },
  });
  return { rows, subjectIds, visitorsCreated: createdVisitorIds.length };
}

/** Field names a batch touched, for the audit and webhook (names only, never values). */
function fieldNames(items: Positioned[]): string[] {
  const names = new Set<string>(['type', 'occurredAt']);
  for (const { event } of items) {
    names.add(event.anonymousId ? 'anonymousId' : 'contactId');
    for (const key of Object.keys(event.properties)) names.add(`properties.${key}`);
  }
  return [...names].sort();
}

/**
 * Ingests a batch of up to 10,000 events, accepted or refused whole: every item is
 * validated (shape, then contact ids in one query) and any invalid item refuses the batch
 * with per-item issues, storing nothing. Everything is written in one transaction with one
 * audit entry for the batch; webhooks fire only for subscribers to event_batch.created.
 */
export async function ingestEventBatch(
  ctx: PurposeContext,
  database: Database,
  body: unknown,
  idempotency: IdempotencyRequest | null,
): Promise<EventBatchReceipt & { replayed: boolean }> {
  const validation = validateEventBatch(body);
  const total = validation.valid.length + validation.invalidItems;
  const batchId = newId();
  const fresh: { receipt?: EventBatchReceipt } = {};
  const outcome = await runIdempotent(database, idempotency, async (tx) => {
    const contactIssues = await unknownContactIssues(tx, ctx, validation.valid, (index) => `events[${index}].contactId`);
    if (validation.invalidItems > 0 || contactIssues.length > 0) {
      throw refuse([...validation.issues, ...contactIssues], validation.invalidItems + contactIssues.length, total);
    }
    const admitted = await admittedItems(tx, ctx, validation.valid);
    const notStored = validation.valid.length - admitted.length;
    const { rows, subjectIds, visitorsCreated } =
      admitted.length > 0 ? await storeEvents(tx, ctx, admitted, batchField) : { rows: [], subjectIds: [], visitorsCreated: 0 };
    const fields = fieldNames(admitted);
    // The audit entry (read back by readBatchReceipt) names the visitors and contacts whose
    // data the batch holds, so "who wrote my data" is one query.
    await recordChange(
      tx,
      ctx,
      { object: 'event_batch', recordId: batchId, kind: 'created', fields },
      { action: batchAction, subjectIds, detail: { accepted: rows.length, visitorsCreated, notStored } },
    );
    fresh.receipt = { batchId, accepted: rows.length, visitorsCreated, notStored };
    return { statusCode: 201, recordId: batchId };
  });
  if (!outcome.replayed && fresh.receipt) {
    // After enough events the table's statistics are stale. PostgreSQL's autovacuum refreshes
    // them for a stream of small batches; the embedded database has none, and a large batch
    // should not wait for it: only then is the check (a catalog query) worth a request's time.
    if (database.kind === 'pglite' || fresh.receipt.accepted >= 1_000) await refreshStaleStatistics(database.db, ingestedTables);
    return { ...fresh.receipt, replayed: false };
  }
  if (!outcome.recordId) throw new DomainError('not_found', 'No batch is recorded under this Idempotency-Key.');
  return { ...(await readBatchReceipt(database.db, ctx, outcome.recordId)), replayed: true };
}

/** A replayed batch is described from its audit entry (which holds counts, not events). */
async function readBatchReceipt(executor: Executor, ctx: PurposeContext, batchId: string): Promise<EventBatchReceipt> {
  const [entry] = await executor
    .select({ detail: auditEntries.detail })
    .from(auditEntries)
    .where(and(eq(auditEntries.tenantId, ctx.tenantId), eq(auditEntries.action, batchAction), sql`${auditEntries.recordIds} @> array[${batchId}]::uuid[]`))
    .limit(1);
  return {
    batchId,
    accepted: Number(entry?.detail.accepted ?? 0),
    visitorsCreated: Number(entry?.detail.visitorsCreated ?? 0),
    notStored: Number(entry?.detail.notStored ?? 0),
  };
}

const ingestedTables = ['events', 'visitors', 'lookup_tokens', 'subject_keys'] as const;

/** The status of a single event that was received but, for want of a live consent, not stored. */
export const notStoredStatus = 202;

/**
 * Ingests one event (POST /events); audited and fanned out as event.created. An event for a
 * consent purpose about a subject without a live consent is not stored (event null, 202).
 * `signal`, when given, is told the event's subject before the event is stored — and, for a
 * known contact, even when the event is not stored (a browser's opt-out is about the person).
 */
export async function ingestEvent(
  ctx: PurposeContext,
  database: Database,
  body: unknown,
  idempotency: IdempotencyRequest | null,
  signal?: SubjectSignal,
): Promise<{ event: EventRecord; withheld: WithheldField[]; statusCode: number } | { event: null; statusCode: typeof notStoredStatus }> {
  const result = validateEvent(body, '', 0);
  if ('issues' in result) throw refuse(result.issues, 1, 1);
  const item: Positioned = { index: 0, event: result.event };
  const outcome = await runIdempotent(database, idempotency, async (tx) => {
    const contactIssues = await unknownContactIssues(tx, ctx, [item], () => 'contactId');
    if (contactIssues.length > 0) throw refuse(contactIssues, 1, 1);
    if ((await admittedItems(tx, ctx, [item])).length === 0) {
      if (signal && item.event.contactId) await signal(tx, { visitorId: null, contactId: item.event.contactId });
      return { statusCode: notStoredStatus, recordId: null };
    }
    const { rows } = await storeEvents(tx, ctx, [item], singleField, signal);
    await recordChange(tx, ctx, { object: 'event', recordId: rows[0].id, kind: 'created', fields: fieldNames([item]) });
    return { statusCode: 201, recordId: rows[0].id };
  });
  if (outcome.statusCode === notStoredStatus) return { event: null, statusCode: notStoredStatus };
  const read = outcome.recordId ? await readEvent(database.db, ctx, outcome.recordId) : null;
  if (!read) throw new DomainError('not_found', 'The event stored under this Idempotency-Key no longer exists.');
  return { ...read, statusCode: outcome.statusCode };
}
