import { sql, type SQL } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/connection.ts';
import { selectRows } from '../../db/rows.ts';
import { ensureCurrentEpoch, EpochKeyUnavailableError, requireEpochKey } from './epochs.ts';
import type { KeyStore } from './keyStore.ts';
import { newSubjectKey, unwrapSubjectKey, wrapSubjectKey } from './keyWrap.ts';
import { defaultSubjectKeyCache, type SubjectKeyCache } from './subjectKeyCache.ts';

/** A subject's unwrapped data keys, by key version; new values are sealed under latestVersion. */
export type SubjectKeys = {
  readonly tenantId: string;
  readonly subjectId: string;
  readonly latestVersion: number;
  readonly keys: ReadonlyMap<number, Buffer>;
};

/** A subject_keys row as read from the database. */
export type WrappedKeyRow = { subject_id: string; key_version: number; epoch: number; wrapped_key: Buffer | Uint8Array };

const asBuffer = (bytes: Buffer | Uint8Array) => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
const uuidArray = (values: readonly string[]) => sql`${sql.param([...values])}::uuid[]`;

/**
 * The subjects' wrapped key rows. Read as ONE packed text value (hex keys, space- and
 * comma-separated) rather than a row per key: both drivers cost far more per row than per
 * byte, and a page or an audit entry may name thousands of subjects (4,000 keys: ~20 ms
 * instead of ~80 ms on PGlite). Uuids, numbers and hex hold neither separator.
 */
export async function selectWrappedKeys(tx: Executor, tenantId: string, subjectIds: readonly string[]): Promise<WrappedKeyRow[]> {
  const [row] = await selectRows<{ packed: string | null }>(
    tx,
    sql`select string_agg(subject_id::text || ' ' || key_version::text || ' ' || epoch::text || ' ' || encode(wrapped_key, 'hex'), ',') as packed
        from subject_keys where tenant_id = ${tenantId} and subject_id = any(${uuidArray(subjectIds)})`,
  );
  if (!row?.packed) return [];
  return row.packed.split(',').map((item) => {
    const [subjectId, keyVersion, epoch, wrapped] = item.split(' ');
    return { subject_id: subjectId, key_version: Number(keyVersion), epoch: Number(epoch), wrapped_key: Buffer.from(wrapped, 'hex') };
  });
}

/**
 * Unwraps rows into SubjectKeys per subject. With a cache, keys already unwrapped from the
 * same wrapped bytes are reused; with `null` every key is unwrapped (the benchmark
 * baseline). Throws EpochKeyUnavailableError when a row's epoch key is gone.
 */
export async function unwrapSubjectKeyRows(
  keyStore: KeyStore,
  tenantId: string,
  rows: readonly WrappedKeyRow[],
  cache: SubjectKeyCache | null = defaultSubjectKeyCache,
): Promise<Map<string, SubjectKeys>> {
  const epochKeys = new Map<number, Buffer>();
  const bySubject = new Map<string, Map<number, Buffer>>();
  for (const row of rows) {
    const wrapped = asBuffer(row.wrapped_key);
    let key = cache?.get(tenantId, row.subject_id, row.key_version, wrapped);
    if (!key) {
      let epochKey = epochKeys.get(row.epoch);
      if (!epochKey) {
        epochKey = await requireEpochKey(keyStore, tenantId, row.epoch);
        epochKeys.set(row.epoch, epochKey);
      }
      key = unwrapSubjectKey(epochKey, { tenantId, subjectId: row.subject_id, keyVersion: row.key_version, epoch: row.epoch }, wrapped);
      cache?.set(tenantId, row.subject_id, row.key_version, wrapped, key);
    }
    const versions = bySubject.get(row.subject_id) ?? new Map<number, Buffer>();
    versions.set(row.key_version, key);
    bySubject.set(row.subject_id, versions);
  }
  const result = new Map<string, SubjectKeys>();
  for (const [subjectId, keys] of bySubject) {
    result.set(subjectId, { tenantId, subjectId, latestVersion: Math.max(...keys.keys()), keys });
  }
  return result;
}

/*
 * Keys a transaction has already read or made, so that a request's later statements (the
 * audit entry's pseudonyms, a read-back) do not SELECT them again. Held per transaction
 * object and only for its length: a key it read stays what it read (as if all were read at
 * once), one it made is its own until COMMIT. An erasure in the transaction forgets its
 * subjects (shredSubjects). Not kept for the database itself, nor with the cache turned
 * off (the benchmark baseline).
 */
const transactionKeys = new WeakMap<object, Map<string, SubjectKeys>>();
const heldKey = (tenantId: string, subjectId: string) => `${tenantId}/${subjectId}`;

function keysHeldBy(tx: Executor, cache: SubjectKeyCache | null): Map<string, SubjectKeys> | undefined {
  if (!cache || !(tx instanceof PgTransaction)) return undefined;
  let held = transactionKeys.get(tx);
  if (!held) {
    held = new Map();
    transactionKeys.set(tx, held);
  }
  return held;
}

/** Forgets keys the transaction holds for these subjects (their keys are being shredded in it). */
export function forgetTransactionKeys(tx: Executor, tenantId: string, subjectIds: readonly string[]): void {
  const held = transactionKeys.get(tx);
  for (const subjectId of subjectIds) held?.delete(heldKey(tenantId, subjectId));
}

/** Splits subjects into those whose keys the transaction holds (in `found`) and the others. */
function takeHeld(held: Map<string, SubjectKeys> | undefined, tenantId: string, subjectIds: readonly string[], found: Map<string, SubjectKeys>): string[] {
  if (!held) return [...subjectIds];
  return subjectIds.filter((subjectId) => {
    const keys = held.get(heldKey(tenantId, subjectId));
    if (keys) found.set(subjectId, keys);
    return !keys;
  });
}

function hold(held: Map<string, SubjectKeys> | undefined, tenantId: string, keys: ReadonlyMap<string, SubjectKeys>): void {
  if (held) for (const [subjectId, subjectKeys] of keys) held.set(heldKey(tenantId, subjectId), subjectKeys);
}

/**
 * The keys of the given subjects that have any (subjects without keys are absent from the
 * map: they have nothing sealed, or were erased). One SELECT. A row read just before an
 * epoch advance destroyed its epoch key is read again once, re-wrapped.
 */
export async function unwrapSubjectKeys(
  tx: Executor,
  keyStore: KeyStore,
  tenantId: string,
  subjectIds: readonly string[],
  cache: SubjectKeyCache | null = defaultSubjectKeyCache,
): Promise<Map<string, SubjectKeys>> {
  if (subjectIds.length === 0) return new Map();
  const held = keysHeldBy(tx, cache);
  const found = new Map<string, SubjectKeys>();
  const toRead = takeHeld(held, tenantId, subjectIds, found);
  if (toRead.length === 0) return found;
  const read = async () => unwrapSubjectKeyRows(keyStore, tenantId, await selectWrappedKeys(tx, tenantId, toRead), cache);
  let unwrapped: Map<string, SubjectKeys>;
  try {
    unwrapped = await read();
  } catch (error) {
    if (!(error instanceof EpochKeyUnavailableError)) throw error;
    unwrapped = await read();
  }
  hold(held, tenantId, unwrapped);
  for (const [subjectId, keys] of unwrapped) found.set(subjectId, keys);
  return found;
}

export type EnsureKeysOptions = {
  /**
   * The subjects are new (ids just made): their keys are inserted without looking for
   * existing ones first. Should one exist after all, the insert skips it and it is read.
   */
  fresh?: boolean;
};

/**
 * Keys for every given subject, creating (version 1, wrapped under the current epoch) the
 * missing ones: one SELECT of existing keys (none with `fresh`), one multi-row INSERT of the
 * new ones, plus the epoch lock and lookup; nothing for keys the transaction holds already.
 * A concurrent creator of the same subject wins; its key is read back.
 */
export async function ensureSubjectKeys(
  tx: Executor,
  keyStore: KeyStore,
  tenantId: string,
  subjectIds: readonly string[],
  cache: SubjectKeyCache | null = defaultSubjectKeyCache,
  options: EnsureKeysOptions = {},
): Promise<Map<string, SubjectKeys>> {
  const held = keysHeldBy(tx, cache);
  const result = new Map<string, SubjectKeys>();
  const wanted = takeHeld(held, tenantId, [...new Set(subjectIds)], result);
  if (wanted.length === 0) return result;
  const epoch = await ensureCurrentEpoch(tx, keyStore, tenantId);
  if (!options.fresh) {
    const existing = await unwrapSubjectKeyRows(keyStore, tenantId, await selectWrappedKeys(tx, tenantId, wanted), cache);
    hold(held, tenantId, existing);
    for (const [subjectId, keys] of existing) result.set(subjectId, keys);
  }
  const missing = wanted.filter((subjectId) => !result.has(subjectId));
  if (missing.length === 0) return result;

  const epochKey = await requireEpochKey(keyStore, tenantId, epoch);
  const created = missing.map((subjectId) => {
    const key = newSubjectKey();
    return { subjectId, key, wrapped: wrapSubjectKey(epochKey, { tenantId, subjectId, keyVersion: 1, epoch }, key) };
  });
  const inserted = await selectRows<{ subject_id: string }>(
    tx,
    sql`insert into subject_keys (tenant_id, subject_id, key_version, epoch, wrapped_key)
        select ${tenantId}, s, 1, ${epoch}, decode(w, 'base64')
        from unnest(${uuidArray(missing)}, ${sql.param(created.map((entry) => entry.wrapped.toString('base64')))}::text[]) as t(s, w)
        on conflict do nothing returning subject_id`,
  );
  const insertedIds = new Set(inserted.map((row) => row.subject_id));
  for (const entry of created) {
    if (!insertedIds.has(entry.subjectId)) continue;
    cache?.set(tenantId, entry.subjectId, 1, entry.wrapped, entry.key);
    const keys: SubjectKeys = { tenantId, subjectId: entry.subjectId, latestVersion: 1, keys: new Map([[1, entry.key]]) };
    held?.set(heldKey(tenantId, entry.subjectId), keys);
    result.set(entry.subjectId, keys);
  }
  const lost = missing.filter((subjectId) => !insertedIds.has(subjectId));
  if (lost.length > 0) {
    for (const [subjectId, keys] of await unwrapSubjectKeys(tx, keyStore, tenantId, lost, cache)) result.set(subjectId, keys);
  }
  return result;
}

/** New subjects' keys, and the INSERT of their wrapped rows for the caller to run in a statement of its own. */
export type FreshSubjectKeys = {
  keys: ReadonlyMap<string, SubjectKeys>;
  /** An INSERT of the subject_keys rows, to run as a CTE of the statement that writes the subjects. */
  insert: SQL;
  /** Call once that statement has run: the keys are then held for the transaction and cached. */
  inserted(): void;
};

/**
 * Keys for subjects whose ids were just made (no key can exist), under the current epoch
 * (shared epoch lock held, as ensureSubjectKeys does), inserted by the caller: the subjects'
 * own rows and their keys go in one statement. `knownEpoch`: the current epoch the caller
 * read after taking the shared epoch lock itself (currentEpochColumn); null or absent, it is
 * locked and read (or created) here.
 */
export async function prepareFreshSubjectKeys(
  tx: Executor,
  keyStore: KeyStore,
  tenantId: string,
  subjectIds: readonly string[],
  knownEpoch: number | null = null,
  cache: SubjectKeyCache | null = defaultSubjectKeyCache,
): Promise<FreshSubjectKeys> {
  const epoch = knownEpoch ?? (await ensureCurrentEpoch(tx, keyStore, tenantId));
  const epochKey = await requireEpochKey(keyStore, tenantId, epoch);
  const created = subjectIds.map((subjectId) => {
    const key = newSubjectKey();
    return { subjectId, key, wrapped: wrapSubjectKey(epochKey, { tenantId, subjectId, keyVersion: 1, epoch }, key) };
  });
  const keys = new Map(
    created.map((entry): [string, SubjectKeys] => [
      entry.subjectId,
      { tenantId, subjectId: entry.subjectId, latestVersion: 1, keys: new Map([[1, entry.key]]) },
    ]),
  );
  return {
    keys,
    insert: sql`insert into subject_keys (tenant_id, subject_id, key_version, epoch, wrapped_key)
        select ${tenantId}, s, 1, ${epoch}, decode(w, 'base64')
        from unnest(${uuidArray(subjectIds)}, ${sql.param(created.map((entry) => entry.wrapped.toString('base64')))}::text[]) as t(s, w)`,
    inserted() {
      for (const entry of created) cache?.set(tenantId, entry.subjectId, 1, entry.wrapped, entry.key);
      hold(keysHeldBy(tx, cache), tenantId, keys);
    },
  };
}
