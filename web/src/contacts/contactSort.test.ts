import { describe, expect, it } from 'vitest';
import { defaultContactSort, nextSort, parseSort, sortParameter } from './contactSort.ts';

describe('the contacts sort', () => {
  it('reads the sort the address holds, and falls back to newest first for anything the API does not sort by', () => {
    expect(parseSort('-lastActivityAt')).toEqual({ key: 'lastActivityAt', descending: true });
    expect(parseSort('updatedAt')).toEqual({ key: 'updatedAt', descending: false });
    expect(parseSort('email')).toEqual(defaultContactSort);
    expect(parseSort('-__proto__')).toEqual(defaultContactSort);
    expect(parseSort(null)).toEqual(defaultContactSort);
  });

  it('turns a header click into the other direction of the same key, or a new key newest first', () => {
    expect(nextSort({ key: 'createdAt', descending: true }, 'createdAt')).toEqual({ key: 'createdAt', descending: false });
    expect(nextSort({ key: 'createdAt', descending: false }, 'updatedAt')).toEqual({ key: 'updatedAt', descending: true });
    expect(sortParameter({ key: 'updatedAt', descending: true })).toBe('-updatedAt');
  });
});
