import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { selectRows } from '../../db/rows.ts';
import { kernelKeyStore, type PurposeContext } from '../../kernel/index.ts';
import { issueOneTimeToken, parseOneTimeToken } from '../../shared/oneTimeTokens.ts';
import { hashSecret, secretsEqual } from '../../shared/secrets.ts';
import type { RightsRequest } from './requestRecords.ts';
import { moveRightsRequest } from './requestWorkflow.ts';
import {
  checkStoredCode,
  type CodeOutcome,
  maximumCodeAttempts,
  newVerificationCode,
  verificationCodeHash,
  verificationCodeLifetimeMs,
} from './verificationCodes.ts';

/*
 * Proving the requester holds the address a request names: one e-mail carries a six-digit
 * code AND a link, issued together. The code is kept as an HMAC under the workspace's
 * e-mail-link key bound to the request (verificationCodes.ts); the link is a one-time token
 * (src/shared/oneTimeTokens.ts) of which only the SHA-256 is kept. Both expire after 15
 * minutes, share one count of wrong tries (the fifth locks the request's verification until
 * a new one is sent), are compared in constant time, and work once: either one used
 * verifies the request and spends both.
 */

export type IssuedVerification = { code: string; token: string; expiresAt: Date };

/** Sends the request to awaiting_verification and stores fresh hashes (any earlier code and link stop working). */
export async function issueRequestVerification(tx: Executor, ctx: PurposeContext, requestId: string, now = new Date()): Promise<IssuedVerification> {
  const request = await moveRightsRequest(tx, ctx, requestId, 'send_verification', { now });
  const code = newVerificationCode();
  const { token, tokenHash } = issueOneTimeToken(ctx.tenantId, request.id);
  const codeHash = verificationCodeHash(await kernelKeyStore().emailLinkKey(ctx.tenantId), request.id, code);
  const expiresAt = new Date(now.getTime() + verificationCodeLifetimeMs);
  await tx.execute(sql`
    update rights_requests set code_hash = ${codeHash}, link_hash = ${tokenHash}, verification_expires_at = ${expiresAt.toISOString()}::timestamptz,
      verification_attempts = 0, verification_used_at = null
    where tenant_id = ${ctx.tenantId} and id = ${request.id}`);
  return { code, token, expiresAt };
}

type Stored = {
  code_hash: string | null;
  link_hash: string | null;
  verification_expires_at: string | Date | null;
  verification_attempts: number;
  verification_used_at: string | Date | null;
};

async function lockedVerification(tx: Executor, tenantId: string, requestId: string): Promise<Stored | null> {
  const [row] = await selectRows<Stored>(
    tx,
    sql`select code_hash, link_hash, verification_expires_at, verification_attempts, verification_used_at
        from rights_requests where tenant_id = ${tenantId} and id::text = ${requestId.toLowerCase()} for update`,
  );
  return row ?? null;
}

export type VerificationResult = { outcome: CodeOutcome | 'unknown'; request: RightsRequest | null };

async function settle(tx: Executor, ctx: PurposeContext, requestId: string, outcome: CodeOutcome, now: Date): Promise<VerificationResult> {
  if (outcome === 'wrong') {
    await tx.execute(sql`update rights_requests set verification_attempts = verification_attempts + 1 where tenant_id = ${ctx.tenantId} and id = ${requestId}`);
    return { outcome, request: null };
  }
  if (outcome !== 'verified') return { outcome, request: null };
  await tx.execute(
    sql`update rights_requests set verification_used_at = ${now.toISOString()}::timestamptz where tenant_id = ${ctx.tenantId} and id = ${requestId}`,
  );
  return { outcome, request: await moveRightsRequest(tx, ctx, requestId, 'verify', { now }) };
}

/**
 * Checks a typed code. `wrong` counts an attempt (commit the transaction, then refuse);
 * `verified` spends the code and link and verifies the request. A request without a pending
 * verification is `unknown`, after the same work as a wrong code.
 */
export async function verifyRequestCode(tx: Executor, ctx: PurposeContext, requestId: string, code: string, now = new Date()): Promise<VerificationResult> {
  const key = await kernelKeyStore().emailLinkKey(ctx.tenantId);
  const stored = await lockedVerification(tx, ctx.tenantId, requestId);
  const pending =
    stored?.code_hash && stored.verification_expires_at
      ? { codeHash: stored.code_hash, expiresAt: stored.verification_expires_at, attempts: stored.verification_attempts, usedAt: stored.verification_used_at }
      : null;
  const outcome = checkStoredCode(key, requestId.toLowerCase(), code, pending, now);
  if (outcome === 'unknown') return { outcome, request: null };
  return settle(tx, ctx, requestId.toLowerCase(), outcome, now);
}

/** The workspace and request a link names, or null when it is not shaped like one. */
export function requestLinkTarget(token: string): { tenantId: string; requestId: string } | null {
  const parsed = parseOneTimeToken(token);
  return parsed ? { tenantId: parsed.tenantId, requestId: parsed.id } : null;
}

/** Checks a link's token like a code: same expiry, same count of wrong tries, single use. */
export async function verifyRequestLink(tx: Executor, ctx: PurposeContext, token: string, now = new Date()): Promise<VerificationResult> {
  const parsed = parseOneTimeToken(token);
  if (!parsed || parsed.tenantId !== ctx.tenantId) return { outcome: 'unknown', request: null };
  const stored = await lockedVerification(tx, ctx.tenantId, parsed.id);
  if (!stored?.link_hash || !stored.verification_expires_at) return { outcome: 'unknown', request: null };
  let outcome: CodeOutcome;
  if (stored.verification_used_at !== null) outcome = 'used';
  else if (Number(stored.verification_attempts) >= maximumCodeAttempts) outcome = 'locked';
  else if (now.getTime() >= new Date(stored.verification_expires_at).getTime()) outcome = 'expired';
  else outcome = secretsEqual(hashSecret(parsed.secret), stored.link_hash) ? 'verified' : 'wrong';
  return settle(tx, ctx, parsed.id, outcome, now);
}
