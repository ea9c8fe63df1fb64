import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomFillSync } from 'node:crypto';

/*
 * The baselines' cryptography, written with node:crypto alone — no import from src/. It
 * does the work Candor's vault must do (read docs: src/kernel/vault/README.md) in the same
 * stored formats, so a baseline reads the rows Candor wrote and Candor reads the rows a
 * baseline wrote:
 *  - AAD and HMAC inputs: strings, each prefixed by its UTF-8 length (uint32, big-endian);
 *  - a subject key: 32 random bytes, wrapped under the workspace's epoch key as
 *    IV (12) ‖ AES-256-GCM ciphertext (32) ‖ tag (16), AAD (label, tenant, subject, version, epoch);
 *  - a sealed field: 0x01 ‖ key version (uint32) ‖ IV (12) ‖ ciphertext ‖ tag (16), base64,
 *    AAD (label, tenant, subject, field, version), the plaintext being the value's JSON;
 *  - an exact blind index: base64url HMAC-SHA256 under the workspace's blind-index key;
 *  - an audit pseudonym: HMAC-SHA256 (first 128 bits, hex) under a key HKDF-SHA256 derives
 *    from the subject's first data key.
 */

export function lengthPrefixedBytes(parts: readonly string[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const bytes = Buffer.from(part, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    chunks.push(length, bytes);
  }
  return Buffer.concat(chunks);
}

const keyAad = (tenantId: string, subjectId: string, keyVersion: number, epoch: number) =>
  lengthPrefixedBytes(['candor.vault.subject-key.v1', tenantId, subjectId, String(keyVersion), String(epoch)]);
const fieldAad = (tenantId: string, subjectId: string, field: string, keyVersion: number) =>
  lengthPrefixedBytes(['candor.vault.field.v1', tenantId, subjectId, field, String(keyVersion)]);

// IVs cut from a CSPRNG pool refilled 1,024 at a time (each used once): one randomBytes call per value costs as much as the sealing.
const ivPool = Buffer.alloc(12 * 1024);
let ivOffset = ivPool.length;
function freshIv(): Buffer {
  if (ivOffset >= ivPool.length) {
    randomFillSync(ivPool);
    ivOffset = 0;
  }
  ivOffset += 12;
  return Buffer.from(ivPool.subarray(ivOffset - 12, ivOffset));
}

function gcmSeal(key: Buffer, aad: Buffer, plaintext: Buffer): { iv: Buffer; body: Buffer; tag: Buffer } {
  const iv = freshIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, body, tag: cipher.getAuthTag() };
}

function gcmOpen(key: Buffer, aad: Buffer, iv: Buffer, body: Buffer, tag: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]);
}

export type KeyRow = { subject_id: string; key_version: number; epoch: number; wrapped_key: Buffer | Uint8Array };

export function wrapKey(epochKey: Buffer, tenantId: string, subjectId: string, keyVersion: number, epoch: number, subjectKey: Buffer): Buffer {
  const { iv, body, tag } = gcmSeal(epochKey, keyAad(tenantId, subjectId, keyVersion, epoch), subjectKey);
  return Buffer.concat([iv, body, tag]);
}

export function unwrapKey(epochKey: Buffer, tenantId: string, row: KeyRow): Buffer {
  const wrapped = Buffer.from(row.wrapped_key);
  return gcmOpen(
    epochKey,
    keyAad(tenantId, row.subject_id, row.key_version, row.epoch),
    wrapped.subarray(0, 12),
    wrapped.subarray(12, wrapped.length - 16),
    wrapped.subarray(wrapped.length - 16),
  );
}

export function sealField(subjectKey: Buffer, keyVersion: number, tenantId: string, subjectId: string, field: string, value: unknown): string {
  const { iv, body, tag } = gcmSeal(subjectKey, fieldAad(tenantId, subjectId, field, keyVersion), Buffer.from(JSON.stringify(value), 'utf8'));
  const header = Buffer.alloc(5);
  header.writeUInt8(1, 0);
  header.writeUInt32BE(keyVersion, 1);
  return Buffer.concat([header, iv, body, tag]).toString('base64');
}

export function openField(subjectKey: Buffer, tenantId: string, subjectId: string, field: string, sealed: string): unknown {
  const bytes = Buffer.from(sealed, 'base64');
  const keyVersion = bytes.readUInt32BE(1);
  const plaintext = gcmOpen(
    subjectKey,
    fieldAad(tenantId, subjectId, field, keyVersion),
    bytes.subarray(5, 17),
    bytes.subarray(17, bytes.length - 16),
    bytes.subarray(bytes.length - 16),
  );
  return JSON.parse(plaintext.toString('utf8'));
}

/** Every field of a sealed record opened (one subject key version, as a fresh contact has). */
export function openAll(subjectKey: Buffer, tenantId: string, subjectId: string, sealed: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [field, text] of Object.entries(sealed)) values[field] = openField(subjectKey, tenantId, subjectId, field, String(text));
  return values;
}

export const exactBlindIndex = (blindKey: Buffer, field: string, normalized: string) =>
  createHmac('sha256', blindKey)
    .update(lengthPrefixedBytes(['candor.blind-index.v1', field, normalized]))
    .digest('base64url');

export const sha256Hex = (data: string) => createHash('sha256').update(data).digest('hex');
export const hmacHex = (key: Buffer, data: string) => createHmac('sha256', key).update(data).digest('hex');

/** The subject's audit pseudonym (encoding version 2), from its data key of `keyVersion` (its first). */
export function auditPseudonym(subjectKey: Buffer, keyVersion: number, tenantId: string, subjectId: string): string {
  const info = lengthPrefixedBytes(['candor.audit.subject-pseudonym-key.v2', tenantId, subjectId, String(keyVersion)]);
  const pseudonymKey = Buffer.from(hkdfSync('sha256', subjectKey, Buffer.alloc(0), info, 32));
  return createHmac('sha256', pseudonymKey)
    .update(`candor-audit-subject-v2\u0000${tenantId.toLowerCase()}\u0000${subjectId.toLowerCase()}`)
    .digest('hex')
    .slice(0, 32);
}
