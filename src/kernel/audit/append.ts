import { sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { AppDatabase, Executor, Transaction } from '../../db/connection.ts';
import type { AccessContext } from '../accessContext.ts';
import { encodingVersion, entryHash, type ChainedFields } from './canonical.ts';
import { auditConfiguration } from './configuration.ts';
import type { AuditRecord } from './entry.ts';
import { insertCheckpoints } from './checkpoints.ts';
import { inTransaction, lockChainHead } from './head.ts';
import type { AuditKeys } from './keys.ts';
import { isPseudonym, pseudonymsOf } from './pseudonyms.ts';

export type AppendOptions = {
  /** Overrides the configured key store (pseudonyms and checkpoint signing). */
  keys?: AuditKeys | null;
};

type PreparedRecord = Omit<ChainedFields, 'sequence' | 'occurredAt' | 'previousHash'>;

/** A record plus what only the audit's own erasure writes (erasure.ts). */
export type ChainedRecord = { record: AuditRecord; erasedPseudonyms?: readonly string[] };

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function canonicalUuid(value: string, what: string): string {
  const lower = value.toLowerCase();
  if (!uuidPattern.test(lower)) throw new TypeError(`audit: ${what} must be uuids`);
  return lower;
}

// Everything that needs no lock (validation, pseudonyms and the keys they need) happens
// before the chain head is taken, so the head is held only for hashing and one INSERT.
// Subject ids that have no key and are no record of the workspace (unknown, or erased) get
// no pseudonym: the entry names no subject for them, and no key is made for them.
async function prepare(tx: Transaction, ctx: AccessContext, items: readonly ChainedRecord[], keys: AuditKeys | null): Promise<PreparedRecord[]> {
  const subjectIds = items.flatMap((item) => item.record.subjectIds ?? []);
  const pseudonyms = await pseudonymsOf(tx, keys, ctx.tenantId, subjectIds, { create: true });
  return items.map(({ record, erasedPseudonyms = [] }) => {
    if (!record.action) throw new TypeError('audit: action is required');
    const ownPseudonyms = (record.subjectIds ?? []).flatMap((subjectId) => {
      const pseudonym = pseudonyms.get(canonicalUuid(subjectId, 'subjectIds'));
      return pseudonym ? [pseudonym] : [];
    });
    for (const given of [...(record.subjectPseudonyms ?? []), ...erasedPseudonyms]) {
      if (!isPseudonym(given)) throw new TypeError('audit: subjectPseudonyms must come from subjectPseudonym()');
    }
    return {
      version: encodingVersion,
      tenantId: ctx.tenantId.toLowerCase(),
      actorType: ctx.actor.type,
      actorId: ctx.actor.id,
      purpose: ctx.purpose,
      action: record.action,
      object: record.object ?? null,
      recordIds: (record.recordIds ?? []).map((id) => canonicalUuid(id, 'recordIds')),
      fields: record.fields ?? [],
      decision: record.decision ?? 'allow',
      reasons: JSON.parse(JSON.stringify(record.reasons ?? [])) as ChainedFields['reasons'],
      // Sorted and distinct: the index holds one row per (subject, entry).
      subjectPseudonyms: [...new Set([...ownPseudonyms, ...(record.subjectPseudonyms ?? [])])].sort(),
      erasedPseudonyms: [...new Set(erasedPseudonyms)].sort(),
      detail: JSON.parse(JSON.stringify(record.detail ?? {})) as Record<string, unknown>,
    };
  });
}

const arrayLiteral = (values: Array<string | number>) => `{${values.join(',')}}`;

async function insertChained(tx: Transaction, tenantId: string, entries: Array<ChainedFields & { hash: string }>): Promise<void> {
  const json = JSON.stringify(
    entries.map((entry) => ({
      tenant_id: entry.tenantId,
      sequence: entry.sequence,
      occurred_at: entry.occurredAt,
      actor_type: entry.actorType,
      actor_id: entry.actorId,
      purpose: entry.purpose,
      action: entry.action,
      object: entry.object,
      record_ids: entry.recordIds,
      fields: entry.fields,
      decision: entry.decision,
      reasons: entry.reasons,
      subject_pseudonyms: entry.subjectPseudonyms,
      detail: entry.detail,
      previous_hash: entry.previousHash,
      hash: entry.hash,
      version: entry.version,
      erased_pseudonyms: entry.erasedPseudonyms,
    })),
  );
  const subjectPseudonyms = entries.flatMap((entry) => entry.subjectPseudonyms);
  const subjectSequences = entries.flatMap((entry) => entry.subjectPseudonyms.map(() => entry.sequence));
  const last = entries[entries.length - 1];
  // Pseudonyms are hex and sequences digits, so the array literals need no quoting.
  const subjects =
    subjectPseudonyms.length === 0
      ? sql``
      : sql`, inserted_subjects as (
          insert into audit_subjects (tenant_id, pseudonym, sequence)
          select ${tenantId}::uuid, s.pseudonym, s.sequence
          from unnest(${arrayLiteral(subjectPseudonyms)}::text[], ${arrayLiteral(subjectSequences)}::bigint[]) as s(pseudonym, sequence))`;
  await tx.execute(sql`
    with inserted_entries as (
      insert into audit_entries (tenant_id, sequence, occurred_at, actor_type, actor_id, purpose, action, object,
                                 record_ids, fields, decision, reasons, subject_pseudonyms, detail, previous_hash, hash, version, erased_pseudonyms)
      select tenant_id, sequence, occurred_at, actor_type, actor_id, purpose, action, object,
             record_ids, fields, decision, reasons, subject_pseudonyms, detail, previous_hash, hash, version, erased_pseudonyms
      from jsonb_to_recordset(${json}::jsonb) as e(tenant_id uuid, sequence bigint, occurred_at timestamptz, actor_type text,
           actor_id text, purpose text, action text, object text, record_ids uuid[], fields text[], decision text,
           reasons jsonb, subject_pseudonyms text[], detail jsonb, previous_hash text, hash text, version smallint, erased_pseudonyms text[]))
    ${subjects}
    update audit_heads set sequence = ${last.sequence}, hash = ${last.hash} where tenant_id = ${tenantId}`);
}

/*
 * Entries prepared in a transaction opened by auditedTransaction wait there until its work
 * is done, then go to the chain in one append, the last statements before COMMIT: the
 * workspace's chain head (which every writer of the workspace queues on) is then held for
 * the head SELECT, one INSERT and the COMMIT, not while the request does its other work.
 * Keyed by the transaction object (drizzle hands the same one to everything in it).
 */
const deferred = new WeakMap<Transaction, PreparedRecord[]>();

/** Takes the chain head and appends prepared records (hashing them under the lock); returns their sequences. */
async function appendPrepared(tx: Transaction, tenantId: string, prepared: readonly PreparedRecord[], keys: AuditKeys | null): Promise<number[]> {
  if (prepared.length === 0) return [];
  const head = await lockChainHead(tx, tenantId);
  // Taken under the lock, so timestamps never run backwards along the chain.
  const occurredAt = new Date().toISOString();
  let previousHash = head.hash;
  const chained = prepared.map((record, index) => {
    const fields: ChainedFields = { ...record, sequence: head.sequence + index + 1, occurredAt, previousHash };
    const hash = entryHash(fields);
    previousHash = hash;
    return { ...fields, hash };
  });
  await insertChained(tx, tenantId, chained);
  const every = auditConfiguration().checkpointEvery;
  const due = chained.filter((entry) => entry.sequence % every === 0);
  if (due.length > 0 && keys) await insertCheckpoints(tx, tenantId, due, await keys.signer(tenantId));
  return chained.map((entry) => entry.sequence);
}

/** Entries deferred in `tx` (one workspace's: a transaction acts for one), taken out of its queue (the same array stays). */
function takeDeferred(tx: Transaction): PreparedRecord[] {
  return deferred.get(tx)?.splice(0) ?? [];
}

/**
 * Appends records (with what only the audit's erasure adds) to the chain now; see
 * appendAuditBatch. Entries deferred earlier in the same transaction go first, so the
 * chain keeps the order they were recorded in (and an erasure's entry stays the newest).
 */
export async function appendChainedRecords(
  executor: Executor,
  ctx: AccessContext,
  items: readonly ChainedRecord[],
  options: AppendOptions = {},
): Promise<number[]> {
  if (items.length === 0) return [];
  const keys = options.keys === undefined ? auditConfiguration().keys : options.keys;
  const tenantId = ctx.tenantId.toLowerCase();
  return inTransaction(executor, async (tx) => {
    // In the transaction: a subject's first pseudonym key is created with the entry naming it.
    const prepared = await prepare(tx, ctx, items, keys);
    let earlier = takeDeferred(tx);
    if (earlier.length > 0 && earlier[0].tenantId !== tenantId) {
      await appendPrepared(tx, earlier[0].tenantId, earlier, keys);
      earlier = [];
    }
    const sequences = await appendPrepared(tx, tenantId, [...earlier, ...prepared], keys);
    return sequences.slice(earlier.length);
  });
}

/**
 * Records an entry for the transaction's change or access. In a transaction opened by
 * auditedTransaction it is prepared now (pseudonyms taken as of now) and appended with the
 * others just before COMMIT; anywhere else it is appended at once. Either way it commits
 * or rolls back with the work it records.
 */
export async function recordAudit(executor: Executor, ctx: AccessContext, record: AuditRecord, options: AppendOptions = {}): Promise<void> {
  const queue = executor instanceof PgTransaction ? deferred.get(executor as Transaction) : undefined;
  if (!queue || (queue.length > 0 && queue[0].tenantId !== ctx.tenantId.toLowerCase())) {
    await appendChainedRecords(executor, ctx, [{ record }], options);
    return;
  }
  const keys = options.keys === undefined ? auditConfiguration().keys : options.keys;
  const prepared = await prepare(executor as Transaction, ctx, [{ record }], keys);
  // Another workspace's entries may have been queued meanwhile: those go to their chain first.
  if (queue.length > 0 && queue[0].tenantId !== prepared[0].tenantId) await appendPrepared(executor as Transaction, queue[0].tenantId, queue.splice(0), keys);
  queue.push(...prepared);
}

/**
 * Runs `work` in a transaction whose audit entries (recordAudit) are appended together as
 * its last statements, so the workspace's chain head is locked only for the append and the
 * COMMIT. Use it for a request's write transaction.
 */
export function auditedTransaction<T>(db: AppDatabase, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    deferred.set(tx, []);
    const result = await work(tx);
    const queued = takeDeferred(tx);
    if (queued.length > 0) await appendPrepared(tx, queued[0].tenantId, queued, auditConfiguration().keys);
    return result;
  });
}

/**
 * Appends entries to the workspace's hash chain in the caller's transaction (so the audit
 * commits or rolls back with the access it records) and returns their sequence numbers.
 * Many entries cost one chain-head lock and one INSERT (plus one key fetch when they name
 * subjects); a signed checkpoint is added at every multiple of `checkpointEvery` passed,
 * when a key store is configured.
 */
export function appendAuditBatch(executor: Executor, ctx: AccessContext, records: readonly AuditRecord[], options: AppendOptions = {}): Promise<number[]> {
  return appendChainedRecords(
    executor,
    ctx,
    records.map((record) => ({ record })),
    options,
  );
}

/** Appends one entry; see appendAuditBatch. */
export async function appendAudit(executor: Executor, ctx: AccessContext, record: AuditRecord, options: AppendOptions = {}): Promise<number> {
  const [sequence] = await appendAuditBatch(executor, ctx, [record], options);
  return sequence;
}
