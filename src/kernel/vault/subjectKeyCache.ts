/**
 * Bounded LRU of unwrapped subject keys, keyed by tenant + subject + key version, so
 * reading a page of contacts repeatedly does not unwrap every key again. Erasure must call
 * dropSubject (shredSubject does); entries are otherwise only evicted by age of use.
 * An entry also remembers the wrapped bytes it was unwrapped from and answers only for
 * those: after an epoch advance (re-wrapped) or a subject re-keyed elsewhere, the stale
 * entry misses instead of handing out a key the database no longer holds.
 * A JavaScript Map iterates in insertion order, so re-inserting on use makes the first
 * entry the least recently used.
 */
type Entry = { wrapped: Buffer; key: Buffer };

export class SubjectKeyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly bySubject = new Map<string, Set<number>>();

  constructor(readonly capacity = 10_000) {}

  get size(): number {
    return this.entries.size;
  }

  get(tenantId: string, subjectId: string, keyVersion: number, wrapped: Buffer): Buffer | undefined {
    const entryKey = cacheKey(tenantId, subjectId, keyVersion);
    const entry = this.entries.get(entryKey);
    if (!entry?.wrapped.equals(wrapped)) return undefined;
    this.entries.delete(entryKey);
    this.entries.set(entryKey, entry);
    return entry.key;
  }

  set(tenantId: string, subjectId: string, keyVersion: number, wrapped: Buffer, key: Buffer): void {
    const entryKey = cacheKey(tenantId, subjectId, keyVersion);
    this.entries.delete(entryKey);
    // A copy: the row's bytes may be a view into a whole result set, which must not be kept alive.
    this.entries.set(entryKey, { wrapped: Buffer.from(wrapped), key });
    const subject = subjectKey(tenantId, subjectId);
    const versions = this.bySubject.get(subject) ?? new Set<number>();
    versions.add(keyVersion);
    this.bySubject.set(subject, versions);
    while (this.entries.size > this.capacity) this.evictOldest();
  }

  dropSubject(tenantId: string, subjectId: string): void {
    const subject = subjectKey(tenantId, subjectId);
    for (const version of this.bySubject.get(subject) ?? []) this.entries.delete(cacheKey(tenantId, subjectId, version));
    this.bySubject.delete(subject);
  }

  clear(): void {
    this.entries.clear();
    this.bySubject.clear();
  }

  private evictOldest(): void {
    const oldest = this.entries.keys().next();
    if (oldest.done) return;
    this.entries.delete(oldest.value);
    const [tenantId, subjectId, version] = oldest.value.split('/');
    const subject = subjectKey(tenantId, subjectId);
    const versions = this.bySubject.get(subject);
    versions?.delete(Number(version));
    if (versions && versions.size === 0) this.bySubject.delete(subject);
  }
}

const cacheKey = (tenantId: string, subjectId: string, keyVersion: number) => `${tenantId}/${subjectId}/${keyVersion}`;
const subjectKey = (tenantId: string, subjectId: string) => `${tenantId}/${subjectId}`;

/** The process-wide cache the vault functions use unless given another. */
export const defaultSubjectKeyCache = new SubjectKeyCache();

/** Forgets a subject's unwrapped keys in the process-wide cache (on erasure). */
export function dropSubject(tenantId: string, subjectId: string): void {
  defaultSubjectKeyCache.dropSubject(tenantId, subjectId);
}
