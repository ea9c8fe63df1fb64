import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkVerificationCode,
  maximumCodeAttempts,
  newVerificationCode,
  type StoredVerificationCode,
  verificationCodeHash,
  verificationCodeLifetimeMs,
} from './verificationCodes.ts';

const key = randomBytes(32);
const requestId = '0b7e3c1e-6a59-4d0c-9f5e-2a7c1d3e4f50';
const issuedAt = new Date('2026-12-03T10:00:00Z');

function stored(code: string, extra: Partial<StoredVerificationCode> = {}): StoredVerificationCode {
  return {
    codeHash: verificationCodeHash(key, requestId, code),
    expiresAt: new Date(issuedAt.getTime() + verificationCodeLifetimeMs),
    attempts: 0,
    usedAt: null,
    ...extra,
  };
}

describe('verification codes', () => {
  it('are six digits, leading zeros kept, and spread over the whole range', () => {
    const codes = Array.from({ length: 2000 }, newVerificationCode);
    for (const code of codes) expect(code).toMatch(/^\d{6}$/);
    expect(new Set(codes).size).toBeGreaterThan(1990);
    expect(codes.some((code) => code.startsWith('0'))).toBe(true);
  });

  it('verify the code issued for the request, within fifteen minutes', () => {
    expect(checkVerificationCode(key, requestId, '042917', stored('042917'), new Date(issuedAt.getTime() + verificationCodeLifetimeMs - 1))).toBe('verified');
  });

  it('are wrong when another code, another request, another key or a malformed code is given', () => {
    const code = stored('042917');
    expect(checkVerificationCode(key, requestId, '042918', code, issuedAt)).toBe('wrong');
    expect(checkVerificationCode(key, '5f0c8a2e-1d3b-4c6e-8a9f-0b1c2d3e4f60', '042917', code, issuedAt)).toBe('wrong');
    expect(checkVerificationCode(randomBytes(32), requestId, '042917', code, issuedAt)).toBe('wrong');
    for (const typed of ['42917', '0429170', ' 042917', '04291a', '']) expect(checkVerificationCode(key, requestId, typed, code, issuedAt)).toBe('wrong');
  });

  it('expire after fifteen minutes, lock after five wrong attempts, and work once', () => {
    expect(checkVerificationCode(key, requestId, '042917', stored('042917'), new Date(issuedAt.getTime() + verificationCodeLifetimeMs))).toBe('expired');
    expect(checkVerificationCode(key, requestId, '042917', stored('042917', { attempts: maximumCodeAttempts }), issuedAt)).toBe('locked');
    expect(checkVerificationCode(key, requestId, '042917', stored('042917', { attempts: maximumCodeAttempts - 1 }), issuedAt)).toBe('verified');
    expect(checkVerificationCode(key, requestId, '042917', stored('042917', { usedAt: issuedAt }), issuedAt)).toBe('used');
  });

  it('are stored as a keyed hash that names neither the code nor the request', () => {
    const hash = verificationCodeHash(key, requestId, '042917');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain('042917');
    expect(verificationCodeHash(key, requestId, '042917')).toBe(hash);
  });
});
