import { describe, expect, it } from 'vitest';
import {
  blindToken,
  contactBlindTokens,
  contactLookupTokens,
  namePrefixTokens,
  namesMatchPrefix,
  namesMatchQuery,
  parseNameQuery,
  searchToken,
  searchTokens,
} from './lookupTokens.ts';

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

describe('name queries as people type them', () => {
  const query = parseNameQuery;

  it('require every word of "Emily Hill", in the first or the last name, in either order', () => {
    expect(namesMatchQuery(['Emily', 'Hill'], query('Emily Hill'))).toBe(true);
    expect(namesMatchQuery(['Hillary', 'Emilyson'], query('hill emi'))).toBe(true);
    expect(namesMatchQuery(['Emily', 'Stone'], query('Emily Hill'))).toBe(false);
    expect(namesMatchQuery(['Jo', 'Hill'], query('Emily Hill'))).toBe(false);
  });

  it('keep the segments of a word with an apostrophe or a hyphen together, the last one a prefix', () => {
    expect(query("O'Brien")).toEqual([['o', 'brien']]);
    expect(namesMatchQuery(['Sean', 'O’Brien'], query("o'brien"))).toBe(true);
    expect(namesMatchQuery(['Sean', "O'Brien"], query('Brien'))).toBe(true);
    expect(namesMatchQuery(['Sean', "O'Brien"], query('O Brien'))).toBe(true);
    expect(namesMatchQuery(['Olga', 'Brien'], query("O'Brien"))).toBe(false);
    expect(namesMatchQuery(['Anna', 'Smith-Jones'], query('Smith-Jo'))).toBe(true);
    expect(namesMatchQuery(['Anna', 'Smith-Jones'], query('Jones'))).toBe(true);
    expect(namesMatchQuery(['Anna', 'Smith'], query('Smith-Jones'))).toBe(false);
    expect(namesMatchQuery(['Jones', 'Smith'], query('Smith-Jones'))).toBe(false);
  });

  it('look candidates up by every word of 2 letters or more and by whole one-letter segments', () => {
    expect(searchTokens(query('Emily Hill'))).toEqual(['emily', 'hill']);
    expect(searchTokens(query("O'Brien"))).toEqual(['o', 'brien']);
    expect(searchTokens(query('Maximilian H'))).toEqual(['maximi']);
    expect(searchTokens(query('J H'))).toBeNull();
    expect(searchTokens(query("O'"))).toBeNull();
  });

  it('index no other tokens than before for names with apostrophes and hyphens', () => {
    expect(namePrefixTokens(["O'Brien"])).toEqual(['o', 'br', 'bri', 'brie', 'brien']);
    expect(namePrefixTokens(['Smith-Jones'])).toEqual(['sm', 'smi', 'smit', 'smith', 'jo', 'jon', 'jone', 'jones']);
  });
});
