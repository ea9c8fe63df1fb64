import { describe, expect, it } from 'vitest';
import { SubjectKeyCache } from './subjectKeyCache.ts';

const tenant = '01900000-0000-7000-8000-000000000001';
const wrapped = Buffer.from('wrapped-a');
const key = (n: number) => Buffer.alloc(32, n);

describe('subject key cache', () => {
  it('evicts the least recently used entry beyond its capacity', () => {
    const cache = new SubjectKeyCache(2);
    cache.set(tenant, 's1', 1, wrapped, key(1));
    cache.set(tenant, 's2', 1, wrapped, key(2));
    expect(cache.get(tenant, 's1', 1, wrapped)).toEqual(key(1));
    cache.set(tenant, 's3', 1, wrapped, key(3));
    expect(cache.size).toBe(2);
    expect(cache.get(tenant, 's2', 1, wrapped)).toBeUndefined();
    expect(cache.get(tenant, 's1', 1, wrapped)).toEqual(key(1));
    expect(cache.get(tenant, 's3', 1, wrapped)).toEqual(key(3));
  });

  it('answers only for the wrapped bytes the key came from', () => {
    const cache = new SubjectKeyCache();
    cache.set(tenant, 's1', 1, wrapped, key(1));
    expect(cache.get(tenant, 's1', 1, Buffer.from('rewrapped'))).toBeUndefined();
    expect(cache.get(tenant, 's1', 2, wrapped)).toBeUndefined();
  });

  it('drops every key version of an erased subject and nothing else', () => {
    const cache = new SubjectKeyCache();
    cache.set(tenant, 's1', 1, wrapped, key(1));
    cache.set(tenant, 's1', 2, wrapped, key(2));
    cache.set(tenant, 's2', 1, wrapped, key(3));
    cache.dropSubject(tenant, 's1');
    expect(cache.get(tenant, 's1', 1, wrapped)).toBeUndefined();
    expect(cache.get(tenant, 's1', 2, wrapped)).toBeUndefined();
    expect(cache.get(tenant, 's2', 1, wrapped)).toEqual(key(3));
    expect(cache.size).toBe(1);
  });
});
