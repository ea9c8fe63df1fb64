import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { namePrefixTokens } from '../lookupTokens.ts';
import { truncatedBlindIndex } from './blindIndex.ts';

/*
 * Measures how much a truncated name index reveals, for docs/blind-index-leakage.md:
 *   npx tsx src/kernel/vault/nameIndexLeakage.ts [contacts=100000]
 * Names are synthetic but shaped like real ones: Zipf-distributed first names (s = 1.1
 * over 20,000) and surnames (s = 1.0 over 500,000, which gives 100,000 people about as many
 * distinct surnames as a census sample), built from syllables so prefixes cluster.
 */
export type LeakageStats = {
  bits: number;
  distinctTokens: number;
  usedValues: number;
  /** Median, over distinct tokens, of the contacts sharing the token's index value. */
  medianContactsPerValue: number;
  /** The same, for tokens only one contact has (the ones that would identify someone). */
  medianContactsForRareTokens: number;
  /** Share of rare tokens whose index value no other contact shares. */
  rareTokensAlone: number;
};

export function nameIndexLeakage(names: ReadonlyArray<readonly [string, string]>, bits: number, key = randomBytes(32)): LeakageStats {
  const contactsByToken = new Map<string, number[]>();
  names.forEach(([first, last], contact) => {
    for (const token of namePrefixTokens([first, last])) {
      const list = contactsByToken.get(token) ?? [];
      list.push(contact);
      contactsByToken.set(token, list);
    }
  });
  const valueOfToken = new Map<string, string>();
  const contactsByValue = new Map<string, Set<number>>();
  for (const [token, contacts] of contactsByToken) {
    const value = truncatedBlindIndex(key, 'name', token, bits);
    valueOfToken.set(token, value);
    const set = contactsByValue.get(value) ?? new Set<number>();
    for (const contact of contacts) set.add(contact);
    contactsByValue.set(value, set);
  }
  const perToken: number[] = [];
  const perRareToken: number[] = [];
  for (const [token, contacts] of contactsByToken) {
    const shared = contactsByValue.get(valueOfToken.get(token)!)!.size;
    perToken.push(shared);
    if (contacts.length === 1) perRareToken.push(shared);
  }
  return {
    bits,
    distinctTokens: contactsByToken.size,
    usedValues: contactsByValue.size,
    medianContactsPerValue: median(perToken),
    medianContactsForRareTokens: median(perRareToken),
    rareTokensAlone: perRareToken.filter((shared) => shared === 1).length / Math.max(1, perRareToken.length),
  };
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Deterministic synthetic [first, last] names (see the header comment). */
export function syntheticNames(count: number, seed = 1): Array<[string, string]> {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const onsets = ['', 'b', 'br', 'c', 'ch', 'd', 'f', 'g', 'h', 'j', 'k', 'kr', 'l', 'm', 'n', 'p', 'r', 's', 'sh', 'st', 't', 'v', 'w', 'z'];
  const vowels = ['a', 'e', 'i', 'o', 'u', 'ai', 'ie', 'ou'];
  const codas = ['', '', 'n', 'r', 's', 'l', 'm', 'rt', 'nd', 'ck'];
  const nameAt = (rank: number, salt: number) => {
    let h = Math.imul(rank + 1, 0x9e3779b1) ^ salt;
    const pick = <T>(list: readonly T[]) => {
      h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) >>> 0;
      return list[h % list.length];
    };
    const syllables = 2 + (rank % 3 === 0 ? 1 : 0);
    let name = '';
    for (let i = 0; i < syllables; i += 1) name += pick(onsets) + pick(vowels) + pick(codas);
    return name;
  };
  const zipf = (size: number, exponent: number) => {
    const cumulative = new Float64Array(size);
    let total = 0;
    for (let rank = 0; rank < size; rank += 1) cumulative[rank] = total += 1 / (rank + 1) ** exponent;
    return () => {
      const target = next() * total;
      let low = 0;
      let high = size - 1;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (cumulative[mid] < target) low = mid + 1;
        else high = mid;
      }
      return low;
    };
  };
  const firstRank = zipf(20_000, 1.1);
  const lastRank = zipf(500_000, 1.0);
  return Array.from({ length: count }, () => [nameAt(firstRank(), 0x1234), nameAt(lastRank(), 0x5678)] as [string, string]);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const names = syntheticNames(Number(process.argv[2] ?? 100_000));
  console.log(
    `contacts ${names.length}, distinct surnames ${new Set(names.map(([, last]) => last)).size}, distinct first names ${new Set(names.map(([first]) => first)).size}`,
  );
  for (const bits of [12, 13, 14, 15, 16, 17, 18, 20]) console.log(JSON.stringify(nameIndexLeakage(names, bits)));
}
