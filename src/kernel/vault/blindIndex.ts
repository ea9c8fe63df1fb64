import { createHmac } from 'node:crypto';
import { lengthPrefixed } from './canonical.ts';

/*
 * Blind indexes: keyed HMAC-SHA256 (the workspace's blind-index key from the key store) of
 * a normalised value, so the database can find equal values without holding them.
 * Full-length indexes (e-mail, phone) are exact; truncated ones (name tokens and their
 * prefixes) keep only a few bits so that each index value is shared by many contacts —
 * see docs/blind-index-leakage.md for the choice of bits and what leaks.
 */

/** Bits kept of a name-token index: in a 100,000-contact workspace a value is shared by ~14 contacts at the median (docs/blind-index-leakage.md). */
export const nameIndexBits = 14;

/** Full 256-bit blind index, base64url (43 characters). For exact-match fields: e-mail, phone. */
export function blindIndex(key: Buffer, field: string, normalizedValue: string): string {
  return createHmac('sha256', key)
    .update(lengthPrefixed(['candor.blind-index.v1', field, normalizedValue]))
    .digest('base64url');
}

/**
 * The first `bits` bits (1–32) of a keyed HMAC, as lowercase hex of ceil(bits/4) digits.
 * For name tokens and prefixes: many tokens share each value by design, so a match is a
 * candidate to be decrypted and checked (namesMatchQuery), not an answer.
 */
export function truncatedBlindIndex(key: Buffer, field: string, token: string, bits: number = nameIndexBits): string {
  if (!Number.isInteger(bits) || bits < 1 || bits > 32) throw new RangeError('bits must be an integer from 1 to 32');
  const digest = createHmac('sha256', key)
    .update(lengthPrefixed(['candor.blind-index.truncated.v1', field, token]))
    .digest();
  const value = digest.readUInt32BE(0) >>> (32 - bits);
  return value.toString(16).padStart(Math.ceil(bits / 4), '0');
}
