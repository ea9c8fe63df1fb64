import { normalizeEmail, normalizePhone } from '../crm/normalize.ts';

/**
 * Tokens that let Candor find people without reading their values: the normalised e-mail
 * and phone for exact match, and case- and accent-folded name tokens with their short
 * prefixes for "Mar…" search. Stored in lookup_tokens; the privacy kernel replaces each
 * token with a keyed blind index (HMAC), so what leaks is which records share a token.
 */
export type LookupField = 'email' | 'phone' | 'name' | 'anonymous_id';
export type LookupToken = { field: LookupField; token: string };

export const minimumPrefixLength = 2;
/** Prefixes longer than this are matched on the first 6 characters, then filtered exactly. */
export const maximumPrefixLength = 6;

export function foldName(value: string): string[] {
  return value
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/ł/g, 'l')
    .replace(/ø/g, 'o')
    .replace(/æ/g, 'ae')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((token) => token.length > 0);
}

export function namePrefixTokens(names: Array<string | null | undefined>): string[] {
  const tokens = new Set<string>();
  for (const name of names) {
    if (!name) continue;
    for (const word of foldName(name)) {
      for (let length = minimumPrefixLength; length <= Math.min(word.length, maximumPrefixLength); length += 1) {
        tokens.add(word.slice(0, length));
      }
      if (word.length === 1) tokens.add(word);
    }
  }
  return [...tokens];
}

/** The single token a search prefix is looked up by, or null when it is too short. */
export function searchToken(prefix: string): string | null {
  const [word] = foldName(prefix);
  if (!word || word.length < minimumPrefixLength) return null;
  return word.slice(0, maximumPrefixLength);
}

/** True when some folded word of the names starts with the folded prefix (exact check after lookup). */
export function namesMatchPrefix(names: Array<string | null | undefined>, prefix: string): boolean {
  const [wanted] = foldName(prefix);
  if (!wanted) return false;
  return names.some((name) => (name ? foldName(name).some((word) => word.startsWith(wanted)) : false));
}

export function contactLookupTokens(values: { email?: string | null; phone?: string | null; first_name?: string | null; last_name?: string | null }): LookupToken[] {
  const tokens: LookupToken[] = [];
  const email = values.email ? normalizeEmail(values.email) : null;
  if (email) tokens.push({ field: 'email', token: email });
  const phone = values.phone ? normalizePhone(values.phone) : null;
  if (phone) tokens.push({ field: 'phone', token: phone });
  for (const token of namePrefixTokens([values.first_name, values.last_name])) tokens.push({ field: 'name', token });
  return tokens;
}
