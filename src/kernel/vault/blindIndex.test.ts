import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { blindIndex, nameIndexBits, truncatedBlindIndex } from './blindIndex.ts';
import { nameIndexLeakage, syntheticNames } from './nameIndexLeakage.ts';

const key = Buffer.alloc(32, 7);

describe('blind indexes', () => {
  it('is a deterministic full-length keyed index for exact match', () => {
    const index = blindIndex(key, 'email', 'alice@example.org');
    expect(index).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(blindIndex(key, 'email', 'alice@example.org')).toBe(index);
    expect(blindIndex(key, 'email', 'bob@example.org')).not.toBe(index);
  });

  it('depends on the key and the field, so workspaces and fields do not share index values', () => {
    const index = blindIndex(key, 'email', '+4930123456');
    expect(blindIndex(randomBytes(32), 'email', '+4930123456')).not.toBe(index);
    expect(blindIndex(key, 'phone', '+4930123456')).not.toBe(index);
  });

  it('never contains the value itself', () => {
    expect(blindIndex(key, 'email', 'alice@example.org')).not.toContain('alice');
  });

  it('truncates to the requested number of bits', () => {
    for (const bits of [1, 4, 13, 14, 32]) {
      const value = truncatedBlindIndex(key, 'name', 'mar', bits);
      expect(value).toHaveLength(Math.ceil(bits / 4));
      expect(Number.parseInt(value, 16)).toBeLessThan(2 ** bits);
    }
    expect(truncatedBlindIndex(key, 'name', 'mar')).toBe(truncatedBlindIndex(key, 'name', 'mar', nameIndexBits));
    expect(() => truncatedBlindIndex(key, 'name', 'mar', 0)).toThrow(RangeError);
    expect(() => truncatedBlindIndex(key, 'name', 'mar', 33)).toThrow(RangeError);
  });

  it('maps many tokens onto each truncated value', () => {
    const values = new Set(Array.from({ length: 2000 }, (_, i) => truncatedBlindIndex(key, 'name', `token${i}`, 8)));
    expect(values.size).toBeLessThanOrEqual(256);
  });
});

describe('name index leakage estimate', () => {
  it('shares each index value among several contacts once tokens outnumber values', () => {
    const names = syntheticNames(5_000, 3);
    const coarse = nameIndexLeakage(names, 10, key);
    const fine = nameIndexLeakage(names, 24, key);
    expect(coarse.usedValues).toBeLessThanOrEqual(1024);
    expect(coarse.medianContactsForRareTokens).toBeGreaterThan(fine.medianContactsForRareTokens);
    expect(coarse.rareTokensAlone).toBeLessThan(0.01);
    expect(fine.rareTokensAlone).toBeGreaterThan(0.9);
  });
});
