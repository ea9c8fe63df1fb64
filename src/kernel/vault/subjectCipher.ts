import { decryptField, encryptField, sealedFromString, sealedKeyVersion, sealedToString, VaultDecryptError } from './fieldCipher.ts';
import type { SubjectKeys } from './subjectKeys.ts';

/** A value that fits in a JSONB column. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Seals bytes for one field of one subject under the subject's latest key version. */
export function sealBytes(keys: SubjectKeys, field: string, plaintext: Buffer): Buffer {
  const key = keys.keys.get(keys.latestVersion)!;
  return encryptField(key, keys.latestVersion, { tenantId: keys.tenantId, subjectId: keys.subjectId, field }, plaintext);
}

/** Opens bytes sealed for this subject and field, under whichever key version sealed them. */
export function openBytes(keys: SubjectKeys, field: string, sealed: Buffer): Buffer {
  const key = keys.keys.get(sealedKeyVersion(sealed));
  if (!key) throw new VaultDecryptError(`Field ${field} of subject ${keys.subjectId} was sealed under a key version the subject no longer has.`);
  return decryptField(key, { tenantId: keys.tenantId, subjectId: keys.subjectId, field }, sealed);
}

/** Seals a JSON value into the base64 string stored in a JSONB personal column. */
export function sealValue(keys: SubjectKeys, field: string, value: JsonValue): string {
  return sealedToString(sealBytes(keys, field, Buffer.from(JSON.stringify(value), 'utf8')));
}

export function openValue(keys: SubjectKeys, field: string, sealed: string): JsonValue {
  return JSON.parse(openBytes(keys, field, sealedFromString(sealed)).toString('utf8')) as JsonValue;
}

/** Seals every field of a record: { field: value } → { field: sealed string }. */
export function sealRecord(keys: SubjectKeys, values: Readonly<Record<string, JsonValue>>): Record<string, string> {
  const sealed: Record<string, string> = {};
  for (const [field, value] of Object.entries(values)) sealed[field] = sealValue(keys, field, value);
  return sealed;
}

/** Opens the named fields of a sealed record (all of them when `fields` is omitted); absent fields stay absent. */
export function openRecord(keys: SubjectKeys, sealed: Readonly<Record<string, unknown>>, fields?: readonly string[]): Record<string, JsonValue> {
  const values: Record<string, JsonValue> = {};
  for (const field of fields ?? Object.keys(sealed)) {
    const text = sealed[field];
    if (text === undefined) continue;
    // Anything but a sealed string here is a value that bypassed the vault: refuse, do not pass it on.
    if (typeof text !== 'string') throw new VaultDecryptError(`Field ${field} of subject ${keys.subjectId} is not sealed.`);
    values[field] = openValue(keys, field, text);
  }
  return values;
}
