import { normalizeEmail, normalizePhone } from '../shared/normalize.ts';
import { blindIndex, truncatedBlindIndex } from './vault/index.ts';

/**
 * Tokens that let Candor find people without reading their values: the normalised e-mail
 * and phone for exact match, and case- and accent-folded name tokens with their short
 * prefixes for "Mar…" search. They are computed here in plaintext and never stored as
 * such: `blindToken` turns each into a keyed blind index (HMAC under the workspace's
 * blind-index key, src/kernel/vault/blindIndex.ts) before it reaches lookup_tokens, so what
 * leaks is which records share a token (docs/blind-index-leakage.md).
 */
export type LookupField = 'email' | 'phone' | 'name' | 'anonymous_id';
export type LookupToken = { field: LookupField; token: string };

export const minimumPrefixLength = 2;
/** Prefixes longer than this are matched on the first 6 characters, then filtered exactly. */
export const maximumPrefixLength = 6;

/** Case- and accent-folded text, separators kept (the first step of every name comparison). */
function foldText(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/ł/g, 'l')
    .replace(/ø/g, 'o')
    .replace(/æ/g, 'ae');
}

const segmentSeparator = /[^\p{L}\p{N}]+/u;
// Apostrophes and hyphens join the segments of one word ("O'Brien", "Smith-Jones"); every
// other separator (space, dot, comma, …) starts a new word.
const wordSeparator = /[^\p{L}\p{N}'\u2018\u2019\u02bc\u2010\u2011-]+/u;

const nonEmpty = (part: string) => part.length > 0;

/** The folded segments of a name: every run of letters and digits, in order ("O'Brien" → o, brien). */
export function foldName(value: string): string[] {
  return foldText(value).split(segmentSeparator).filter(nonEmpty);
}

/** The folded words of a name, each as its segments ("Anna Smith-Jones" → [anna], [smith, jones]). */
export function nameWords(value: string): string[][] {
  return foldText(value)
    .split(wordSeparator)
    .map((word) => word.split(segmentSeparator).filter(nonEmpty))
    .filter((segments) => segments.length > 0);
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

/** Words a name search may have ("Emily Hill" has two); more would only slow the candidate query. */
export const maximumQueryWords = 5;

/**
 * A typed name search, folded: its words, each as segments. A one-segment word matches any
 * name segment it starts ("Hil" → Hill, "Jones" → Smith-Jones, "Brien" → O'Brien); a word
 * of several segments matches a name word holding the same segments in a row, the last one
 * as a prefix ("Smith-Jo" → Smith-Jones, "O'Brien" → O'Brien and O’Brien, not OBrien).
 * Every word must match, in the first or the last name, in either order.
 */
export type NameQuery = string[][];

export function parseNameQuery(text: string): NameQuery {
  return nameWords(text);
}

/**
 * The plaintext tokens a name query's candidates must all hold, or null when it has none
 * (no word of at least 2 letters): prefixes cut to 6 characters, and one-letter segments
 * that are whole (the "o" of "O'Brien", indexed as a word of its own). A trailing
 * one-letter word ("Emily H") adds no token; it is checked after decryption.
 */
export function searchTokens(query: NameQuery): string[] | null {
  const tokens = new Set<string>();
  for (const segments of query) {
    segments.forEach((segment, index) => {
      const whole = index < segments.length - 1;
      if (segment.length >= minimumPrefixLength) tokens.add(segment.slice(0, maximumPrefixLength));
      else if (whole) tokens.add(segment);
    });
  }
  return [...tokens].some((token) => token.length >= minimumPrefixLength) ? [...tokens] : null;
}

/** The single token of a one-word prefix (kept for callers that search one word), or null when too short. */
export function searchToken(prefix: string): string | null {
  const [word] = foldName(prefix);
  if (!word || word.length < minimumPrefixLength) return null;
  return word.slice(0, maximumPrefixLength);
}

function wordMatches(name: string[], wanted: string[]): boolean {
  const last = wanted.length - 1;
  for (let start = 0; start + last < name.length; start += 1) {
    let matches = true;
    for (let index = 0; index < last && matches; index += 1) matches = name[start + index] === wanted[index];
    if (matches && name[start + last].startsWith(wanted[last])) return true;
  }
  return false;
}

/** True when every word of the query matches a word of the names (exact check after lookup). */
export function namesMatchQuery(names: Array<string | null | undefined>, query: NameQuery): boolean {
  if (query.length === 0) return false;
  const words = names.flatMap((name) => (name ? nameWords(name) : []));
  return query.every((wanted) => words.some((word) => wordMatches(word, wanted)));
}

/** True when some folded segment of the names starts with the folded prefix's first segment. */
export function namesMatchPrefix(names: Array<string | null | undefined>, prefix: string): boolean {
  const [wanted] = foldName(prefix);
  if (!wanted) return false;
  return namesMatchQuery(names, [[wanted]]);
}

export function contactLookupTokens(values: {
  email?: string | null;
  phone?: string | null;
  first_name?: string | null;
  last_name?: string | null;
}): LookupToken[] {
  const tokens: LookupToken[] = [];
  const email = values.email ? normalizeEmail(values.email) : null;
  if (email) tokens.push({ field: 'email', token: email });
  const phone = values.phone ? normalizePhone(values.phone) : null;
  if (phone) tokens.push({ field: 'phone', token: phone });
  for (const token of namePrefixTokens([values.first_name, values.last_name])) tokens.push({ field: 'name', token });
  return tokens;
}

/**
 * The stored form of a token: a full blind index for exact-match fields (e-mail, phone,
 * anonymous id), a 14-bit truncated one for name tokens, which many tokens share by design,
 * so a name match is only a candidate to decrypt and check with namesMatchPrefix.
 */
export function blindToken(key: Buffer, field: LookupField, token: string): string {
  return field === 'name' ? truncatedBlindIndex(key, field, token) : blindIndex(key, field, token);
}

/** Blind indexes of tokens, without duplicates (distinct name tokens may share a truncated index). */
export function blindTokens(key: Buffer, tokens: readonly LookupToken[]): LookupToken[] {
  const unique = new Map<string, LookupToken>();
  for (const { field, token } of tokens) {
    const blinded = blindToken(key, field, token);
    unique.set(`${field}:${blinded}`, { field, token: blinded });
  }
  return [...unique.values()];
}

/**
 * The normalised form of an external id (the id a record has in the CRM it came from):
 * trimmed only, because CRMs' ids are case-sensitive (Salesforce's 15-character ids).
 */
export function normalizeExternalId(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed.length > 0 ? trimmed : null;
}

/** The blind index stored in contacts.external_id_index: exact, like the e-mail's. */
export function externalIdIndex(key: Buffer, value: unknown): string | null {
  const normalized = normalizeExternalId(value);
  return normalized === null ? null : blindIndex(key, 'external_id', normalized);
}

const textOrNull = (value: unknown) => (typeof value === 'string' ? value : null);

/** Blind lookup tokens of a contact's (plaintext) personal values: what lookup_tokens stores for it. */
export function contactBlindTokens(key: Buffer, personal: Readonly<Record<string, unknown>>): LookupToken[] {
  return blindTokens(
    key,
    contactLookupTokens({
      email: textOrNull(personal.email),
      phone: textOrNull(personal.phone),
      first_name: textOrNull(personal.first_name),
      last_name: textOrNull(personal.last_name),
    }),
  );
}
