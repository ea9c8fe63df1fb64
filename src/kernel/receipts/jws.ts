import { createHash, sign, verify, type KeyObject } from 'node:crypto';

/*
 * Compact JWS (RFC 7515) with EdDSA over Ed25519 (RFC 8037), on node:crypto alone: the
 * three operations Candor needs do not justify a JOSE library. Verification is
 * node:crypto.verify over the exact bytes received (no re-encoding, no comparison of
 * secrets in JavaScript), and only the one algorithm is accepted: a header naming another
 * (`none`, HS256…) is refused before any key is touched.
 */

export type PublicJwk = { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string; alg: 'EdDSA'; use: 'sig' };

const base64url = (bytes: Buffer | string) => Buffer.from(bytes).toString('base64url');
const base64urlPattern = /^[A-Za-z0-9_-]*$/;

/** The RFC 7638 thumbprint of an Ed25519 public key: the `kid` of the key, stable wherever it is computed. */
export function keyId(publicKey: KeyObject): string {
  const { x } = publicKey.export({ format: 'jwk' });
  // Members in lexicographic order, no whitespace, as RFC 7638 §3 requires.
  return base64url(
    createHash('sha256')
      .update(JSON.stringify({ crv: 'Ed25519', kty: 'OKP', x }))
      .digest(),
  );
}

export function publicJwk(publicKey: KeyObject): PublicJwk {
  const { x } = publicKey.export({ format: 'jwk' });
  return { kty: 'OKP', crv: 'Ed25519', x: x!, kid: keyId(publicKey), alg: 'EdDSA', use: 'sig' };
}

/** Signs the payload as a compact JWS: header.payload.signature, header {alg: EdDSA, typ: JWT, kid}. */
export function signCompact(payload: unknown, privateKey: KeyObject, kid: string): string {
  const signingInput = `${base64url(JSON.stringify({ alg: 'EdDSA', typ: 'JWT', kid }))}.${base64url(JSON.stringify(payload))}`;
  return `${signingInput}.${base64url(sign(null, Buffer.from(signingInput, 'ascii'), privateKey))}`;
}

export type JwsParts = { kid: string; payload: unknown; signingInput: string; signature: Buffer };
export type JwsProblem = 'malformed' | 'unsupported_algorithm';

function parseJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Splits a compact JWS without trusting it: the header must name EdDSA and a kid; nothing is verified yet. */
export function parseCompact(jws: string): JwsParts | JwsProblem {
  const parts = jws.split('.');
  // base64url has no padding and no other characters: a stray byte is malformed, not ignored.
  if (parts.length !== 3 || parts.some((part) => part.length === 0 || !base64urlPattern.test(part))) return 'malformed';
  const [header, payload, signature] = parts as [string, string, string];
  const decodedHeader = parseJson(header) as { alg?: unknown; kid?: unknown; crit?: unknown } | undefined;
  const decodedPayload = parseJson(payload);
  if (!decodedHeader || typeof decodedHeader !== 'object' || decodedPayload === undefined) return 'malformed';
  if (decodedHeader.alg !== 'EdDSA' || decodedHeader.crit !== undefined) return 'unsupported_algorithm';
  if (typeof decodedHeader.kid !== 'string') return 'malformed';
  const signatureBytes = Buffer.from(signature, 'base64url');
  // A canonical encoding only: two texts must not carry the same signature.
  if (signatureBytes.length !== 64 || base64url(signatureBytes) !== signature) return 'malformed';
  return { kid: decodedHeader.kid, payload: decodedPayload, signingInput: `${header}.${payload}`, signature: signatureBytes };
}

/** Whether the signature over the JWS's signing input verifies under the public key. */
export function verifyCompact(parts: JwsParts, publicKey: KeyObject): boolean {
  return verify(null, Buffer.from(parts.signingInput, 'ascii'), publicKey, parts.signature);
}
