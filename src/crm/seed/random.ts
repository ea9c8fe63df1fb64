// A tiny seeded PRNG so demo data is reproducible across machines and Node versions;
// Math.random cannot be seeded and a dependency would be overkill for a demo seeder.

const UINT32 = 0x1_0000_0000;

/** Finalizer from MurmurHash3: spreads every input bit over the whole word. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85eb_ca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2_ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Derives an independent 32-bit state for one entity. Keying on (seed, stream, index)
 * instead of drawing from one long sequence lets any record be regenerated on its own,
 * which is how deals and activities stay consistent with contacts without keeping
 * them in memory.
 */
export function entitySeed(seed: number, stream: number, index: number): number {
  const a = mix32((seed >>> 0) ^ Math.imul(stream + 1, 0x9e37_79b9));
  // Split the index so values beyond 2^32 still produce distinct states.
  const low = index >>> 0;
  const high = Math.floor(index / UINT32) >>> 0;
  return mix32(a ^ mix32(low + Math.imul(high, 0x27d4_eb2f)));
}

/** Uniform float in [0, 1) that depends only on its inputs; no generator state. */
export function hashUnit(seed: number, stream: number, index: number): number {
  return entitySeed(seed, stream, index) / UINT32;
}

/** mulberry32: 32-bit state, passes gjrand/PractRand to a few TB, and is very fast in V8. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b_79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / UINT32;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Cannot pick from an empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks using a table built once by {@link weighted}, so each draw is a short scan. */
  pickWeighted<T>(table: WeightedTable<T>): T {
    const target = this.next() * table.total;
    const { cumulative, items } = table;
    for (let i = 0; i < cumulative.length; i++) {
      if (target < cumulative[i]) return items[i];
    }
    return items[items.length - 1];
  }

  /** Hex string of `length` characters, for opaque identifiers such as anonymous ids. */
  hex(length: number): string {
    let out = '';
    while (out.length < length) {
      out += Math.floor(this.next() * UINT32)
        .toString(16)
        .padStart(8, '0');
    }
    return out.slice(0, length);
  }
}

export type WeightedTable<T> = {
  readonly items: readonly T[];
  readonly cumulative: readonly number[];
  readonly total: number;
};

export function weighted<T>(entries: ReadonlyArray<readonly [T, number]>): WeightedTable<T> {
  const items: T[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const [item, weight] of entries) {
    if (!(weight > 0)) throw new RangeError('Weights must be positive');
    total += weight;
    items.push(item);
    cumulative.push(total);
  }
  if (items.length === 0) throw new RangeError('A weighted table needs at least one entry');
  return { items, cumulative, total };
}
