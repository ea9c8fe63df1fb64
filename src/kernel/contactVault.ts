import type { Executor } from '../db/connection.ts';
import { DomainError } from '../shared/domainError.ts';
import { kernelKeyStore } from './runtime.ts';
import {
  ensureSubjectKeys,
  openValue,
  type EnsureKeysOptions,
  sealValue,
  unwrapSubjectKeys,
  VaultDecryptError,
  type JsonValue,
  type SubjectKeys,
} from './vault/index.ts';

/*
 * How contact personal values meet the vault. A contact is its own subject (subject id =
 * contact id); every field of `contacts.personal` (and of a staged import row) is stored as
 * { field: sealed string }, AES-256-GCM under the subject's data key with the tenant,
 * subject, field and key version bound as AAD. So a sealed value moved to another contact or
 * another field fails to open: that is reported as integrity_error, never passed on.
 * A contact whose keys are gone (erased, shredded) opens as no values at all.
 */

/** Personal values as the vault stores them: field → sealed string. */
export type SealedPersonal = Record<string, string>;

/** Keys for these contacts, created where missing: one SELECT (none for `fresh` ids) + one INSERT. */
export function contactKeysForWriting(
  tx: Executor,
  tenantId: string,
  ids: readonly string[],
  options: EnsureKeysOptions = {},
): Promise<Map<string, SubjectKeys>> {
  return ensureSubjectKeys(tx, kernelKeyStore(), tenantId, ids, undefined, options);
}

/** Existing keys of these contacts (erased ones are absent): one SELECT. */
export function contactKeysForReading(tx: Executor, tenantId: string, ids: readonly string[]): Promise<Map<string, SubjectKeys>> {
  return unwrapSubjectKeys(tx, kernelKeyStore(), tenantId, [...new Set(ids)]);
}

/** The workspace's blind-index key (key store), for the contacts' lookup tokens. */
export function contactBlindIndexKey(tenantId: string): Promise<Buffer> {
  return kernelKeyStore().blindIndexKey(tenantId);
}

/** Seals every field that has a value; null and undefined fields are left out (nothing to store). */
export function sealPersonal(keys: SubjectKeys, values: Readonly<Record<string, unknown>>): SealedPersonal {
  const sealed: SealedPersonal = {};
  for (const [field, value] of Object.entries(values)) {
    if (value === null || value === undefined) continue;
    sealed[field] = sealValue(keys, field, value as JsonValue);
  }
  return sealed;
}

const integrityError = (subjectId: string, field: string) =>
  new DomainError('integrity_error', `The stored value of field ${field} of contact ${subjectId} failed its integrity check and was not read.`, [
    { field, reason: 'sealed value does not open for this contact and field' },
  ]);

/**
 * Opens the stored personal values of one contact: the named fields (all stored fields when
 * `fields` is omitted). Without keys (erased) nothing opens. A value that is not a sealed
 * string, or does not open for this contact and field, is an integrity_error naming the
 * field and contact, never the value.
 */
export function openPersonal(
  keys: SubjectKeys | undefined,
  subjectId: string,
  stored: Readonly<Record<string, unknown>>,
  fields?: readonly string[],
): Record<string, JsonValue> {
  const values: Record<string, JsonValue> = {};
  if (!keys) return values;
  for (const field of fields ?? Object.keys(stored)) {
    const sealed = stored[field];
    if (sealed === undefined) continue;
    if (typeof sealed !== 'string') throw integrityError(subjectId, field);
    try {
      values[field] = openValue(keys, field, sealed);
    } catch (error) {
      if (error instanceof VaultDecryptError || error instanceof SyntaxError || error instanceof RangeError) throw integrityError(subjectId, field);
      throw error;
    }
  }
  return values;
}

/** Opens a page of rows: one SELECT of their keys, then decryption in memory. */
export async function openPersonalRows<Row extends { id: string; personal: unknown }>(
  tx: Executor,
  tenantId: string,
  rows: readonly Row[],
  fields?: readonly string[],
): Promise<Array<Row & { personal: Record<string, JsonValue> }>> {
  if (rows.length === 0) return [];
  // No field to open (the policy permits none): no key needs unwrapping.
  if (fields?.length === 0) return rows.map((row) => ({ ...row, personal: {} }));
  const keys = await contactKeysForReading(
    tx,
    tenantId,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({ ...row, personal: openPersonal(keys.get(row.id), row.id, (row.personal ?? {}) as Record<string, unknown>, fields) }));
}
