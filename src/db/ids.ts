import { randomFillSync } from 'node:crypto';

// UUIDv7 (RFC 9562): time-ordered, so new rows land at the end of indexes and ids sort
// roughly by creation. Generated here because PostgreSQL 15 has no uuidv7().
let lastMillis = 0;
let sequence = 0;

// Random bytes drawn from the CSPRNG in blocks: one call per id costs ~13 µs, which a
// 10,000-event batch notices; a block of 4 KiB serves 256 ids.
const poolSize = 4096;
const pool = Buffer.alloc(poolSize);
let poolOffset = poolSize;

function randomSlice(length: number): Buffer {
  if (poolOffset + length > poolSize) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const slice = Buffer.from(pool.subarray(poolOffset, poolOffset + length));
  poolOffset += length;
  return slice;
}

export function newId(): string {
  let millis = Date.now();
  if (millis <= lastMillis) {
    sequence += 1;
    if (sequence > 0xfff) {
      lastMillis += 1;
      sequence = 0;
    }
    millis = lastMillis;
  } else {
    lastMillis = millis;
    sequence = randomSlice(2).readUInt16BE(0) & 0x3ff;
  }
  const bytes = randomSlice(16);
  bytes.writeUIntBE(millis, 0, 6);
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export { isUuid } from '../shared/uuid.ts';
