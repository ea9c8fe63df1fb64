import { randomFillSync } from 'node:crypto';

/*
 * 12-byte GCM IVs drawn from a pool refilled from the CSPRNG 1,024 IVs at a time: one
 * randomBytes(12) call per value was half the cost of sealing a 200-byte field. Each IV
 * is copied out of the pool exactly once, so none is reused.
 */
export const ivLength = 12;
const pool = Buffer.allocUnsafe(ivLength * 1024);
let offset = pool.length;

/** Writes a fresh random IV into `target` at `at` and returns a view of it there. */
export function writeRandomIv(target: Buffer, at: number): Buffer {
  if (offset >= pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  pool.copy(target, at, offset, offset + ivLength);
  offset += ivLength;
  return target.subarray(at, at + ivLength);
}
