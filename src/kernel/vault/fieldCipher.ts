import { createCipheriv, createDecipheriv } from 'node:crypto';
import { lengthPrefixed } from './canonical.ts';
import { writeRandomIv } from './randomIv.ts';

/*
 * Sealed field format (all integers big-endian):
 *   [0]      format version, 0x01
 *   [1..4]   subject key version (uint32)
 *   [5..16]  IV, 12 random bytes
 *   [17..n]  AES-256-GCM ciphertext (same length as the plaintext)
 *   [last16] GCM tag
 * The AAD is not stored: it is rebuilt from where the value is read (tenant, subject,
 * field) plus the key version in the header, so a sealed value moved to another subject,
 * field or workspace, or given another key version, fails authentication.
 */
export const sealedFormatVersion = 1;
const headerLength = 1 + 4 + 12;
const tagLength = 16;
export const sealedOverhead = headerLength + tagLength;

/** Where a value belongs; bound into the AAD. */
export type FieldBinding = { tenantId: string; subjectId: string; field: string };

/** Raised when a sealed value does not authenticate: wrong key, wrong place, or tampered. Never carries the value. */
export class VaultDecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VaultDecryptError';
  }
}

export function fieldAad(binding: FieldBinding, keyVersion: number): Buffer {
  return lengthPrefixed(['candor.vault.field.v1', binding.tenantId, binding.subjectId, binding.field, String(keyVersion)]);
}

export function encryptField(key: Buffer, keyVersion: number, binding: FieldBinding, plaintext: Buffer): Buffer {
  const out = Buffer.allocUnsafe(headerLength + plaintext.length + tagLength);
  out.writeUInt8(sealedFormatVersion, 0);
  out.writeUInt32BE(keyVersion, 1);
  const iv = writeRandomIv(out, 5);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(fieldAad(binding, keyVersion));
  const written = cipher.update(plaintext);
  written.copy(out, headerLength);
  cipher.final();
  cipher.getAuthTag().copy(out, headerLength + plaintext.length);
  return out;
}

/** The subject key version a sealed value was written under (to pick the key). */
export function sealedKeyVersion(sealed: Buffer): number {
  if (sealed.length < sealedOverhead || sealed.readUInt8(0) !== sealedFormatVersion) {
    throw new VaultDecryptError('Not a sealed value of a known format.');
  }
  return sealed.readUInt32BE(1);
}

export function decryptField(key: Buffer, binding: FieldBinding, sealed: Buffer): Buffer {
  const keyVersion = sealedKeyVersion(sealed);
  const iv = sealed.subarray(5, headerLength);
  const body = sealed.subarray(headerLength, sealed.length - tagLength);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(fieldAad(binding, keyVersion));
  decipher.setAuthTag(sealed.subarray(sealed.length - tagLength));
  const plaintext = decipher.update(body);
  try {
    decipher.final();
  } catch {
    // Field name and subject id are not personal values; the plaintext is never mentioned.
    throw new VaultDecryptError(`Field ${binding.field} of subject ${binding.subjectId} does not decrypt under its key.`);
  }
  return plaintext;
}

/** The string form stored in JSONB columns. */
export const sealedToString = (sealed: Buffer) => sealed.toString('base64');
export const sealedFromString = (text: string) => Buffer.from(text, 'base64');
