import { describe, expect, it } from 'vitest';
import { isUuid, newId } from './ids.ts';

describe('newId', () => {
  it('makes version-7 UUIDs that sort in creation order', () => {
    const ids = Array.from({ length: 5_000 }, () => newId());
    expect(ids.every((id) => isUuid(id) && id[14] === '7')).toBe(true);
    expect([...ids].sort()).toEqual(ids);
  });

  it('never repeats an id, even across many blocks of random bytes', () => {
    const ids = Array.from({ length: 20_000 }, () => newId());
    expect(new Set(ids).size).toBe(ids.length);
  });
});
