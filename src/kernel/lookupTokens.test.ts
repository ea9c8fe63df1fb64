import { describe, expect, it } from 'vitest';
import { blindToken, contactBlindTokens, contactLookupTokens, namePrefixTokens, namesMatchPrefix, searchToken } from './lookupTokens.ts';

describe('lookup tokens', () => {
  it('fold case and accents so "Zoë" and "zoe" share tokens', () => {
    expect(namePrefixTokens(['Zoë'])).toEqual(namePrefixTokens(['zoe']));
  });

  it('index prefixes from two up to six characters of every name word', () => {
    expect(namePrefixTokens(['Marianne'])).toEqual(['ma', 'mar', 'mari', 'maria', 'marian']);
  });

  it('look up long search prefixes by their first six characters and then match exactly', () => {
    expect(searchToken('Mariann')).toBe('marian');
    expect(namesMatchPrefix(['Marianne'], 'Mariann')).toBe(true);
    expect(namesMatchPrefix(['Mariana'], 'Mariann')).toBe(false);
  });

  it('refuse search prefixes shorter than two characters', () => {
    expect(searchToken('M')).toBeNull();
  });

  it('derive exact-match tokens from the normalised e-mail and phone', () => {
    const tokens = contactLookupTokens({ email: ' Jane.Doe@Example.COM ', phone: '+44 20 7946 0000' });
    expect(tokens).toContainEqual({ field: 'email', token: 'jane.doe@example.com' });
    expect(tokens.find((token) => token.field === 'phone')?.token).toBe('+442079460000');
  });
});

describe('blind lookup tokens', () => {
  const key = Buffer.alloc(32, 7);
  const otherKey = Buffer.alloc(32, 8);

  it('store exact-match fields as full keyed indexes that differ by key and by field', () => {
    const email = blindToken(key, 'email', 'jane@example.com');
    expect(email).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(email).toBe(blindToken(key, 'email', 'jane@example.com'));
    expect(email).not.toBe(blindToken(otherKey, 'email', 'jane@example.com'));
    expect(email).not.toBe(blindToken(key, 'phone', 'jane@example.com'));
  });

  it('store name tokens as 14-bit indexes without duplicates and without the names', () => {
    const tokens = contactBlindTokens(key, { first_name: 'Marianne', last_name: 'Čapek', email: 'm@example.com' });
    const names = tokens.filter((token) => token.field === 'name');
    expect(names.every((token) => /^[0-9a-f]{4}$/.test(token.token))).toBe(true);
    expect(new Set(names.map((token) => token.token)).size).toBe(names.length);
    expect(names.map((token) => token.token)).toContain(blindToken(key, 'name', searchToken('MARI')!));
    expect(tokens.map((token) => token.token)).not.toContain('m@example.com');
  });
});
