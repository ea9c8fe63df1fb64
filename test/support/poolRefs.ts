import fc from 'fast-check';
import { ForgedCursor } from './forgedCursors.ts';
import { RawText, withOwnKey } from './hostileValues.ts';

/*
 * Values that depend on the run's state (ids of records that exist, cursors lists served) are
 * drawn as PoolRefs and resolved when the request is sent, so a seed always generates the
 * same requests.
 */

/** A value taken from a pool of the run's state when the request is sent. */
export class PoolRef {
  constructor(
    readonly pool: string,
    readonly index: number,
  ) {}
}

export const poolRef = (pool: string) => fc.nat().map((index) => new PoolRef(pool, index));

/** Replaces every PoolRef (as a value, or as an object key marked "@n" with { ref, value }) by a pooled value. */
export function resolvePoolRefs(value: unknown, pick: (ref: PoolRef) => unknown, depth = 0): unknown {
  if (value instanceof PoolRef) return pick(value);
  if (depth > 50 || typeof value !== 'object' || value === null || value instanceof RawText || value instanceof ForgedCursor) return value;
  if (Array.isArray(value)) return value.map((item) => resolvePoolRefs(item, pick, depth + 1));
  let resolved: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const marked = key.startsWith('@') && typeof item === 'object' && item !== null && (item as { ref?: unknown }).ref instanceof PoolRef;
    if (marked) {
      const { ref, value: inner } = item as { ref: PoolRef; value: unknown };
      resolved = withOwnKey(resolved, String(pick(ref)), resolvePoolRefs(inner, pick, depth + 1));
    } else {
      resolved = withOwnKey(resolved, key, resolvePoolRefs(item, pick, depth + 1));
    }
  }
  return resolved;
}
