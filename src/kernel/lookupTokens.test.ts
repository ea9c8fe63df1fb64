import { describe, expect, it } from 'vitest';
import { contactLookupTokens, namePrefixTokens, namesMatchPrefix, searchToken } from './lookupTokens.ts';

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
