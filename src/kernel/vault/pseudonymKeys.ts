import { hkdfSync } from 'node:crypto';
import type { Executor } from '../../db/connection.ts';
import { lengthPrefixed } from './canonical.ts';
import type { KeyStore } from './keyStore.ts';
import { ensureSubjectKeys, unwrapSubjectKeys, type SubjectKeys } from './subjectKeys.ts';
import { defaultSubjectKeyCache, type SubjectKeyCache } from './subjectKeyCache.ts';

/*
 * The per-subject secret that keys a data subject's audit pseudonym. It is derived from the
 * subject's first data key (HKDF-SHA256 with its own label, so it never equals, and never
 * reveals, a key that seals values) rather than stored beside it: it then lives exactly as
 * long as the data key. shredSubjects deletes it at erasure, and the epoch advance makes every
 * database copy taken before unable to unwrap it — so once a subject is erased, its id can no
 * longer be mapped to its pseudonym, and there is no second secret to re-wrap or to forget.
 */

const pseudonymKeyLength = 32;

// Unwrapped keys come from the subject key cache as the same Buffer objects, so a weak map
// on them remembers derived keys exactly as long as the cache keeps the data key.
const derived = new WeakMap<Buffer, Buffer>();

/** The subject's pseudonym key: HKDF-SHA256 of its first (lowest-version) data key, bound to tenant and subject. */
export function pseudonymKeyOf(keys: SubjectKeys): Buffer {
  const firstVersion = Math.min(...keys.keys.keys());
  const dataKey = keys.keys.get(firstVersion)!;
  let key = derived.get(dataKey);
  if (!key) {
    const info = lengthPrefixed(['candor.audit.subject-pseudonym-key.v2', keys.tenantId, keys.subjectId, String(firstVersion)]);
    key = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), info, pseudonymKeyLength));
    derived.set(dataKey, key);
  }
  return key;
}

const byPseudonymKey = (keys: Map<string, SubjectKeys>) => new Map([...keys].map(([subjectId, subjectKeys]) => [subjectId, pseudonymKeyOf(subjectKeys)]));

/** Pseudonym keys of the subjects that have a data key (erased subjects have none): one SELECT. */
export async function existingPseudonymKeys(
  tx: Executor,
  keyStore: KeyStore,
  tenantId: string,
  subjectIds: readonly string[],
  cache: SubjectKeyCache | null = defaultSubjectKeyCache,
): Promise<Map<string, Buffer>> {
  return byPseudonymKey(await unwrapSubjectKeys(tx, keyStore, tenantId, [...new Set(subjectIds)], cache));
}

/** Pseudonym keys of the given subjects, creating their data keys where missing (see ensureSubjectKeys). */
export async function ensurePseudonymKeys(
  tx: Executor,
  keyStore: KeyStore,
  tenantId: string,
  subjectIds: readonly string[],
  cache: SubjectKeyCache | null = defaultSubjectKeyCache,
): Promise<Map<string, Buffer>> {
  return byPseudonymKey(await ensureSubjectKeys(tx, keyStore, tenantId, subjectIds, cache));
}
