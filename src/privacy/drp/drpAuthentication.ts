import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { selectRows } from '../../db/rows.ts';
import { systemContext, type PurposeContext } from '../../kernel/index.ts';
import { rightsPurpose } from '../requests/requestWorkflow.ts';
import { agentOfToken, agentsWithId, type DrpAgent } from './drpAgents.ts';
import { DrpRefusal } from './drpRefusal.ts';
import { checkSignedClaims, decodeSignedBody, type SignedMessage, signatureHolds, signedClaims } from './drpSignatures.ts';

/*
 * Who is calling a Data Rights Protocol route, checked in the spec's order (§3.07): the
 * bearer token (or, for the key setup, the agent id in the URL) names the agent; the signed
 * body decodes and its signature holds under that agent's key; then the claims. An inactive
 * agent is refused like an unknown one. Each signed message is remembered by its signature's
 * hash until it expires, and a second arrival within that time is refused as a replay.
 */

export type SignatureSettings = { maxWindowMinutes: number; now?: Date };
/** A checked call; `expiresAt` is null only for a revocation signed without the claims (openRevokeCall). */
export type SignedCall = { agent: DrpAgent; claims: Record<string, unknown>; signed: SignedMessage; expiresAt: Date | null };

/** The context an agent acts in: the workspace's, as `system:drp-agent:<agent row id>`, for legal_compliance. */
export const agentContext = (agent: DrpAgent): PurposeContext => systemContext(agent.tenantId, `drp-agent:${agent.id}`, rightsPurpose);

function activeOrRefused(agent: DrpAgent): DrpAgent {
  if (agent.status !== 'active') throw new DrpRefusal(403, 'inactive_agent', 'This agent is not active here.', { fatal: true });
  return agent;
}

/** The agent of `Authorization: Bearer <token>`: 401 without one, 403 for a token no active agent holds. */
export async function agentOfBearer(tx: Executor, authorization: string | undefined): Promise<DrpAgent> {
  const match = /^Bearer\s+(\S{1,200})$/i.exec(authorization?.trim() ?? '');
  if (!match) throw new DrpRefusal(401, 'missing_token', 'Send the token POST /v1/agent/{id} gave you as "Authorization: Bearer <token>".');
  const agent = await agentOfToken(tx, match[1]);
  if (!agent) throw new DrpRefusal(403, 'unknown_token', 'The bearer token is unknown or was replaced: set up a new one with POST /v1/agent/{id}.');
  return activeOrRefused(agent);
}

function checkedCall(agent: DrpAgent, signed: SignedMessage, settings: SignatureSettings): SignedCall {
  const claims = signedClaims(signed);
  const window = checkSignedClaims(claims, {
    agentId: agent.agentId,
    businessId: agent.businessId,
    now: settings.now ?? new Date(),
    maxWindowMinutes: settings.maxWindowMinutes,
  });
  return { agent, claims, signed, expiresAt: window.expiresAt };
}

/** The body decoded, its signature holding under the agent's verify key. */
function verifiedBody(agent: DrpAgent, body: string): SignedMessage {
  const signed = decodeSignedBody(body);
  if (!signatureHolds(signed, agent.verifyKey))
    throw new DrpRefusal(403, 'bad_signature', "The signature does not hold under the agent's verify key.", { fatal: true });
  return signed;
}

/** A signed body from the bearer's agent, checked through its claims. */
export function openSignedCall(agent: DrpAgent, body: string, settings: SignatureSettings): SignedCall {
  const signed = verifiedBody(agent, body);
  return checkedCall(agent, signed, settings);
}

const windowClaims = ['agent-id', 'business-id', 'issued-at', 'expires-at'] as const;

/**
 * A revocation's signed body (§2.04). The spec's message is `{"reason": …}` alone — the
 * reference agent (OSIRAA) signs exactly that — so the signature under the bearer's agent key
 * is the whole check when none of agent-id, business-id, issued-at and expires-at is there.
 * A message that carries any of them is checked like every other one (all four required, in
 * §3.07's order), and only such a message can be remembered against replay: Ed25519 signs
 * deterministically, so two revocations with the same reason are the same bytes.
 */
export function openRevokeCall(agent: DrpAgent, body: string, settings: SignatureSettings): SignedCall {
  const signed = verifiedBody(agent, body);
  const claims = signedClaims(signed);
  if (windowClaims.some((claim) => claim in claims)) return checkedCall(agent, signed, settings);
  return { agent, claims, signed, expiresAt: null };
}

/**
 * The key setup's signed body (§2.05): no token yet, so the agent id in the URL names the
 * candidates (one per workspace that registered it, each under its workspace's own business
 * id); the one whose key verifies the signature and whose business id the message names is the
 * caller. A message naming a business id none of them has is refused as `wrong_business`.
 */
export async function openAgentSetup(tx: Executor, agentId: string, body: string, settings: SignatureSettings): Promise<SignedCall> {
  const candidates = await agentsWithId(tx, agentId);
  if (candidates.length === 0) throw new DrpRefusal(403, 'unknown_agent', 'No agent with this id is registered here.', { fatal: true });
  const active = candidates.filter((agent) => agent.status === 'active');
  if (active.length === 0) activeOrRefused(candidates[0]);
  const signed = decodeSignedBody(body);
  const verified = active.filter((agent) => signatureHolds(signed, agent.verifyKey));
  if (verified.length === 0) throw new DrpRefusal(403, 'bad_signature', "The signature does not hold under the agent's verify key.", { fatal: true });
  const claims = signedClaims(signed);
  const agent = verified.find((candidate) => candidate.businessId === claims['business-id']) ?? verified[0];
  return checkedCall(agent, signed, settings);
}

const signatureHash = (signed: SignedMessage) => createHash('sha256').update(signed.signature).digest('hex');

/** Remembers the message until it expires (forgetting the workspace's expired ones); 409 when it was seen already. */
export async function rememberSignedMessage(tx: Executor, call: SignedCall): Promise<void> {
  if (call.expiresAt === null) return;
  const tenantId = call.agent.tenantId;
  await tx.execute(sql`delete from drp_signed_messages where tenant_id = ${tenantId} and expires_at < now()`);
  const inserted = await selectRows<{ signature_hash: string }>(
    tx,
    sql`insert into drp_signed_messages (tenant_id, signature_hash, expires_at)
        values (${tenantId}, ${signatureHash(call.signed)}, ${call.expiresAt.toISOString()}::timestamptz)
        on conflict do nothing returning signature_hash`,
  );
  if (inserted.length === 0) throw new DrpRefusal(409, 'replayed', 'This signed message was received already: sign a new one.', { fatal: true });
}
