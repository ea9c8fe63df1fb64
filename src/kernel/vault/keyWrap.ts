import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { lengthPrefixed } from './canonical.ts';
import { ivLength, writeRandomIv } from './randomIv.ts';
import { VaultDecryptError } from './fieldCipher.ts';

/*
 * A subject key wrapped under an epoch key: IV (12) ‖ AES-256-GCM ciphertext (32) ‖ tag (16).
 * The AAD binds tenant, subject, key version and epoch, so a wrapped key copied to another
 * subject's row, or relabelled with another epoch, does not unwrap.
 */
export const subjectKeyLength = 32;
export const wrappedKeyLength = 12 + subjectKeyLength + 16;

export type WrapBinding = { tenantId: string; subjectId: string; keyVersion: number; epoch: number };

export function wrapAad(binding: WrapBinding): Buffer {
  return lengthPrefixed(['candor.vault.subject-key.v1', binding.tenantId, binding.subjectId, String(binding.keyVersion), String(binding.epoch)]);
}

export function newSubjectKey(): Buffer {
  return randomBytes(subjectKeyLength);
}

export function wrapSubjectKey(epochKey: Buffer, binding: WrapBinding, subjectKey: Buffer): Buffer {
  const out = Buffer.allocUnsafe(wrappedKeyLength);
  const cipher = createCipheriv('aes-256-gcm', epochKey, writeRandomIv(out, 0));
  cipher.setAAD(wrapAad(binding));
  cipher.update(subjectKey).copy(out, ivLength);
  cipher.final();
  cipher.getAuthTag().copy(out, ivLength + subjectKeyLength);
  return out;
}

export function unwrapSubjectKey(epochKey: Buffer, binding: WrapBinding, wrapped: Buffer): Buffer {
  if (wrapped.length !== wrappedKeyLength) throw new VaultDecryptError(`Wrapped key of subject ${binding.subjectId} has the wrong length.`);
  const decipher = createDecipheriv('aes-256-gcm', epochKey, wrapped.subarray(0, 12));
  decipher.setAAD(wrapAad(binding));
  decipher.setAuthTag(wrapped.subarray(12 + subjectKeyLength));
  const key = decipher.update(wrapped.subarray(12, 12 + subjectKeyLength));
  try {
    decipher.final();
  } catch {
    throw new VaultDecryptError(`Key of subject ${binding.subjectId} does not unwrap under epoch ${binding.epoch}.`);
  }
  return key;
}
