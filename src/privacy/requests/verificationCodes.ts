import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/*
 * The six-digit codes a person types to prove they hold the e-mail address a rights request
 * names. A million codes can be tried offline in a moment, so a code is stored only as an
 * HMAC under the workspace's e-mail-link key (in the key store, never in the database) bound
 * to its request: a copy of the database alone does not reveal it. Online, five wrong codes
 * lock the request and a code lives fifteen minutes.
 */

export const verificationCodeLifetimeMs = 15 * 60_000;
export const maximumCodeAttempts = 5;
const domain = 'candor-verification-code\u0000v1\u0000';
const codePattern = /^\d{6}$/;

export type StoredVerificationCode = { codeHash: string; expiresAt: Date; attempts: number; usedAt: Date | null };
export type CodeOutcome = 'verified' | 'wrong' | 'expired' | 'locked' | 'used';

/** A uniformly drawn code, leading zeros kept. */
export function newVerificationCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

export function verificationCodeHash(key: Buffer, requestId: string, code: string): string {
  return createHmac('sha256', key).update(domain).update(requestId).update('\u0000').update(code).digest('hex');
}

/**
 * What a typed code does. The caller counts a `wrong` answer as an attempt (the fifth locks
 * the request) and marks a `verified` code used, both in the same transaction as this read.
 * The comparison takes the same time whatever the code; a malformed code is simply wrong.
 */
export function checkVerificationCode(key: Buffer, requestId: string, typed: string, stored: StoredVerificationCode, now: Date): CodeOutcome {
  if (stored.usedAt !== null) return 'used';
  if (stored.attempts >= maximumCodeAttempts) return 'locked';
  if (now.getTime() >= stored.expiresAt.getTime()) return 'expired';
  const wellFormed = codePattern.test(typed);
  const candidate = Buffer.from(verificationCodeHash(key, requestId, wellFormed ? typed : 'malformed'), 'hex');
  const expected = Buffer.from(stored.codeHash, 'hex');
  return wellFormed && candidate.length === expected.length && timingSafeEqual(candidate, expected) ? 'verified' : 'wrong';
}

/** A stored code's columns as the database gives them (timestamps as Date or text, counts as number or text). */
export type StoredCodeColumns = { codeHash: string; expiresAt: Date | string; attempts: number | string; usedAt: Date | string | null };

/**
 * checkVerificationCode for a stored code, or — none stored (an unknown id, nothing pending) —
 * the same work against a code nobody holds, answering `unknown`, so the two take alike.
 */
export function checkStoredCode(key: Buffer, id: string, typed: string, stored: StoredCodeColumns | null, now: Date): CodeOutcome | 'unknown' {
  if (stored === null) {
    checkVerificationCode(key, id, typed, { codeHash: '00'.repeat(32), expiresAt: new Date(now.getTime() + 1), attempts: 0, usedAt: null }, now);
    return 'unknown';
  }
  const { codeHash, expiresAt, attempts, usedAt } = stored;
  return checkVerificationCode(
    key,
    id,
    typed,
    { codeHash, expiresAt: new Date(expiresAt), attempts: Number(attempts), usedAt: usedAt === null ? null : new Date(usedAt) },
    now,
  );
}
