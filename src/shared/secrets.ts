import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// High-entropy secrets (API keys, session and reset tokens) are stored as SHA-256: a slow
// hash adds nothing against 256-bit randomness. Passwords use argon2id (passwords.ts).
export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');
export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

export function secretsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  // Compare equal-length buffers only; a length mismatch is itself not secret here
  // because both sides are fixed-length hashes.
  return left.length === right.length && timingSafeEqual(left, right);
}

export const verifySecret = (secret: string, storedHash: string) => secretsEqual(hashSecret(secret), storedHash);
