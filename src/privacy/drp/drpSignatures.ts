import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { invalid } from '../../shared/domainError.ts';
import { DrpRefusal } from './drpRefusal.ts';

/*
 * Signed Data Rights Protocol messages (§3.07, §3.07.1): the body is base64 of libsodium's
 * combined mode — a 64-byte Ed25519 signature followed by the JSON message it signs. Checked in
 * the spec's order: the body decodes; the signature holds under the agent's verify key; the
 * `agent-id` claim names the agent the key (or bearer token) belongs to; `business-id` is the
 * workspace's own business id (drpBusiness.ts); `issued-at` is not in the future; `expires-at` is
 * still ahead. Then Candor's own: the window from issued-at to expires-at is no longer than the
 * configured maximum. Replays are refused where the message is remembered (drpSignedMessages.ts).
 */

const signatureBytes = 64;
const ed25519SpkiPrefix = Buffer.from('302a300506032b6570032100', 'hex');
const base64Body = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** The Ed25519 public key of a base64 (libsodium) verify key, or 422 naming `field`. */
export function verifyKeyOf(base64: string, field = 'verifyKey'): KeyObject {
  const trimmed = base64.trim();
  const raw = base64Body.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
  if (raw.length !== 32) throw invalid(field, 'is not a base64 Ed25519 public key (32 bytes)');
  return createPublicKey({ key: Buffer.concat([ed25519SpkiPrefix, raw]), format: 'der', type: 'spki' });
}

export type SignedMessage = { signature: Buffer; message: Buffer };

/** Decodes the body: 400 when it is not base64 of a signature and a message. */
export function decodeSignedBody(body: string): SignedMessage {
  const trimmed = body.trim();
  const bytes = base64Body.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
  if (bytes.length <= signatureBytes) {
    throw new DrpRefusal(400, 'not_base64', 'The body is not a base64-encoded signed message (a 64-byte signature followed by the message).', { fatal: true });
  }
  return { signature: bytes.subarray(0, signatureBytes), message: bytes.subarray(signatureBytes) };
}

/** Whether the signature holds for the message under the verify key (base64). */
export function signatureHolds(signed: SignedMessage, verifyKey: string): boolean {
  return verify(null, signed.message, verifyKeyOf(verifyKey), signed.signature);
}

/** The signed JSON object: 400 when the message is not one. */
export function signedClaims(signed: SignedMessage): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(signed.message.toString('utf8'));
  } catch {
    parsed = null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new DrpRefusal(400, 'not_json', 'The signed message is not a JSON object.', { fatal: true });
  }
  return parsed as Record<string, unknown>;
}

export type ClaimExpectations = { agentId: string; businessId: string; now: Date; maxWindowMinutes: number };
export type CheckedWindow = { issuedAt: Date; expiresAt: Date };

function timestampClaim(claims: Record<string, unknown>, name: 'issued-at' | 'expires-at'): Date {
  const value = claims[name];
  const parsed = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : null;
  if (parsed === null || Number.isNaN(parsed.getTime())) {
    throw new DrpRefusal(400, 'invalid_claim', `${name} must be an ISO 8601 timestamp.`, { fatal: true, field: name });
  }
  return parsed;
}

/** Checks the claims after the signature, in the spec's order; the message's window when they hold. */
export function checkSignedClaims(claims: Record<string, unknown>, expected: ClaimExpectations): CheckedWindow {
  if (claims['agent-id'] !== expected.agentId) {
    throw new DrpRefusal(403, 'wrong_agent', 'agent-id does not name the agent this key or token belongs to.', { fatal: true, field: 'agent-id' });
  }
  if (claims['business-id'] !== expected.businessId) {
    throw new DrpRefusal(403, 'wrong_business', 'business-id does not name this business.', { fatal: true, field: 'business-id' });
  }
  const issuedAt = timestampClaim(claims, 'issued-at');
  const expiresAt = timestampClaim(claims, 'expires-at');
  const now = expected.now.getTime();
  if (issuedAt.getTime() > now) throw new DrpRefusal(400, 'issued_in_future', 'issued-at is in the future: check your clock.', { field: 'issued-at' });
  if (expiresAt.getTime() <= now) throw new DrpRefusal(400, 'expired', 'The request expired (expires-at has passed).', { fatal: true, field: 'expires-at' });
  if (expiresAt.getTime() - issuedAt.getTime() > expected.maxWindowMinutes * 60_000) {
    throw new DrpRefusal(400, 'window_too_long', `expires-at is more than ${expected.maxWindowMinutes} minutes after issued-at.`, {
      fatal: true,
      field: 'expires-at',
    });
  }
  return { issuedAt, expiresAt };
}

/** `drp.version` names protocol 1.x (or 0.9.x, which 1.0 left unchanged): 400 otherwise. */
export function requireProtocolVersion(claims: Record<string, unknown>): void {
  const version = claims['drp.version'];
  if (typeof version !== 'string' || !/^(1\.\d+(\.\d+)?|0\.9(\.\d+)?)$/.test(version)) {
    throw new DrpRefusal(400, 'invalid_claim', 'drp.version must name protocol version 1.0.', { fatal: true, field: 'drp.version' });
  }
}
