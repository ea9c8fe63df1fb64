/**
 * Canonical, unambiguous byte encoding of a list of strings: each part is its UTF-8 bytes
 * prefixed by their length as a 4-byte big-endian integer. Used for additional
 * authenticated data and HMAC inputs, so ("ab","c") and ("a","bc") never encode alike.
 */
export function lengthPrefixed(parts: readonly string[]): Buffer {
  const encoded = parts.map((part) => Buffer.from(part, 'utf8'));
  const out = Buffer.allocUnsafe(encoded.reduce((sum, part) => sum + 4 + part.length, 0));
  let offset = 0;
  for (const part of encoded) {
    out.writeUInt32BE(part.length, offset);
    part.copy(out, offset + 4);
    offset += 4 + part.length;
  }
  return out;
}
