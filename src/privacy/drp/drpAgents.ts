import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { newId } from '../../db/ids.ts';
import { selectRows } from '../../db/rows.ts';
import { violatesUniqueIndex } from '../../db/uniqueViolation.ts';
import { type AccessContext, appendAudit } from '../../kernel/index.ts';
import { DomainError, invalid, notFound } from '../../shared/domainError.ts';
import { hashSecret, randomToken } from '../../shared/secrets.ts';
import { isUuid } from '../../db/ids.ts';
import { checkedBusinessId } from './drpBusiness.ts';
import { verifyKeyOf } from './drpSignatures.ts';
import { checkCallbackTarget } from '../../shared/httpUrl.ts';

/*
 * The authorised agents a workspace accepts Data Rights Protocol requests from, registered by
 * an admin as the DRP service directory describes them (§3.05.1): the agent's id, a name, its
 * Ed25519 verify key (base64) and the URL its status callbacks go to. The business id its
 * requests must name is the workspace's own (drpBusiness.ts), never typed per agent: an admin
 * may send it only to have it checked. The global drp_agent_lookup routes an agent id and the
 * business id, or a bearer token's hash, to the workspace. Only active agents are heard. Every change is audited
 * (ids and field names; keys and URLs are configuration, not personal data).
 */

export const agentStatuses = ['active', 'inactive'] as const;
export type AgentStatus = (typeof agentStatuses)[number];

export type DrpAgent = {
  tenantId: string;
  id: string;
  agentId: string;
  name: string;
  verifyKey: string;
  callbackUrl: string | null;
  businessId: string;
  status: AgentStatus;
  tokenIssuedAt: Date | null;
  createdAt: Date;
  version: number;
};

type Row = {
  tenant_id: string;
  id: string;
  agent_id: string;
  name: string;
  verify_key: string;
  callback_url: string | null;
  business_id: string;
  status: AgentStatus;
  token_issued_at: string | Date | null;
  created_at: string | Date;
  version: number;
};

const agentOf = (row: Row): DrpAgent => ({
  tenantId: row.tenant_id,
  id: row.id,
  agentId: row.agent_id,
  name: row.name,
  verifyKey: row.verify_key,
  callbackUrl: row.callback_url,
  businessId: row.business_id,
  status: row.status,
  tokenIssuedAt: row.token_issued_at === null ? null : new Date(row.token_issued_at),
  createdAt: new Date(row.created_at),
  version: Number(row.version),
});

const columns = sql`a.tenant_id, a.id, a.agent_id, a.name, a.verify_key, a.callback_url, a.business_id, a.status, a.token_issued_at, a.created_at, a.version`;
const identifier = /^[A-Za-z0-9_.:-]{1,100}$/;

export type AgentInput = { agentId: string; name: string; verifyKey: string; callbackUrl?: string | null; businessId?: string; status?: AgentStatus };

/**
 * A callback URL checked as a webhook's is, naming callbackUrl. Its host is checked when a
 * status is delivered (under the webhooks' address rules), not here.
 */
const checkCallbackUrl = (value: string): string => checkCallbackTarget(value, 'callbackUrl').toString();

function checkedInput<T extends Partial<AgentInput>>(input: T): T {
  if (input.agentId !== undefined && !identifier.test(input.agentId)) throw invalid('agentId', 'letters, digits and _ . : - (1 to 100)');
  if (input.verifyKey !== undefined) verifyKeyOf(input.verifyKey);
  return {
    ...input,
    ...(input.callbackUrl ? { callbackUrl: checkCallbackUrl(input.callbackUrl) } : {}),
    ...(input.verifyKey ? { verifyKey: input.verifyKey.trim() } : {}),
  };
}

export async function listAgents(tx: Executor, tenantId: string): Promise<DrpAgent[]> {
  const rows = await selectRows<Row>(tx, sql`select ${columns} from drp_agents a where a.tenant_id = ${tenantId} order by a.created_at, a.id`);
  return rows.map(agentOf);
}

export async function readAgent(tx: Executor, tenantId: string, id: string): Promise<DrpAgent> {
  if (!isUuid(id)) throw notFound('agent');
  const [row] = await selectRows<Row>(tx, sql`select ${columns} from drp_agents a where a.tenant_id = ${tenantId} and a.id = ${id.toLowerCase()}`);
  if (!row) throw notFound('agent');
  return agentOf(row);
}

const duplicateAgent = () =>
  new DomainError('duplicate', 'An agent with this agent id is registered in this workspace already.', [{ field: 'agentId', reason: 'taken' }]);

async function insertOrDuplicate(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (violatesUniqueIndex(error, 'drp_agents_agent_idx') || violatesUniqueIndex(error, 'drp_agent_lookup_pk')) throw duplicateAgent();
    throw error;
  }
}

export async function registerAgent(tx: Executor, ctx: AccessContext, raw: AgentInput): Promise<DrpAgent> {
  const input = checkedInput(raw);
  const businessId = await checkedBusinessId(tx, ctx.tenantId, input.businessId);
  const id = newId();
  await insertOrDuplicate(async () => {
    await tx.execute(sql`
      insert into drp_agents (tenant_id, id, agent_id, name, verify_key, callback_url, business_id, status)
      values (${ctx.tenantId}, ${id}, ${input.agentId}, ${input.name}, ${input.verifyKey}, ${input.callbackUrl ?? null}, ${businessId}, ${input.status ?? 'active'})`);
    await tx.execute(
      sql`insert into drp_agent_lookup (agent_id, business_id, tenant_id, agent) values (${input.agentId}, ${businessId}, ${ctx.tenantId}, ${id})`,
    );
  });
  await appendAudit(tx, ctx, {
    action: 'drp_agent.registered',
    object: 'drp_agent',
    recordIds: [id],
    detail: { agentId: input.agentId, businessId },
  });
  return readAgent(tx, ctx.tenantId, id);
}

export type AgentChanges = Partial<Omit<AgentInput, 'agentId'>>;

/** Changes name, key, callback URL or status; a new key revokes the bearer token. A business id, if sent, must be the workspace's. */
export async function updateAgent(tx: Executor, ctx: AccessContext, id: string, raw: AgentChanges): Promise<DrpAgent> {
  const before = await readAgent(tx, ctx.tenantId, id);
  const input = checkedInput(raw);
  await checkedBusinessId(tx, ctx.tenantId, input.businessId);
  const revokesToken = input.verifyKey !== undefined && input.verifyKey !== before.verifyKey;
  await tx.execute(sql`
    update drp_agents set name = ${input.name ?? before.name}, verify_key = ${input.verifyKey ?? before.verifyKey},
      callback_url = ${input.callbackUrl === undefined ? before.callbackUrl : input.callbackUrl},
      status = ${input.status ?? before.status}, token_issued_at = ${revokesToken ? null : (before.tokenIssuedAt?.toISOString() ?? null)}::timestamptz,
      version = version + 1, updated_at = now()
    where tenant_id = ${ctx.tenantId} and id = ${before.id}`);
  if (revokesToken)
    await tx.execute(sql`update drp_agent_lookup set token_hash = null where agent_id = ${before.agentId} and business_id = ${before.businessId}`);
  const fields = Object.keys(raw).filter((key) => raw[key as keyof AgentChanges] !== undefined);
  await appendAudit(tx, ctx, { action: 'drp_agent.updated', object: 'drp_agent', recordIds: [before.id], fields, detail: { tokenRevoked: revokesToken } });
  return readAgent(tx, ctx.tenantId, before.id);
}

/** The registered agents (of any workspace) with this DRP agent id, to check a key-setup message against. */
export async function agentsWithId(tx: Executor, agentId: string): Promise<DrpAgent[]> {
  const rows = await selectRows<Row>(
    tx,
    sql`select ${columns} from drp_agent_lookup l join drp_agents a on a.tenant_id = l.tenant_id and a.id = l.agent where l.agent_id = ${agentId}`,
  );
  return rows.map(agentOf);
}

/** The agent a bearer token was issued to, or null. */
export async function agentOfToken(tx: Executor, token: string): Promise<DrpAgent | null> {
  const [row] = await selectRows<Row>(
    tx,
    sql`select ${columns} from drp_agent_lookup l join drp_agents a on a.tenant_id = l.tenant_id and a.id = l.agent where l.token_hash = ${hashSecret(token)}`,
  );
  return row ? agentOf(row) : null;
}

/** A new pair-wise bearer token for the agent (§2.05); the previous one stops working. Returned once, stored as a hash. */
export async function issueAgentToken(tx: Executor, ctx: AccessContext, agent: DrpAgent): Promise<string> {
  const token = `drp_${randomToken(32)}`;
  await tx.execute(sql`update drp_agent_lookup set token_hash = ${hashSecret(token)} where agent_id = ${agent.agentId} and business_id = ${agent.businessId}`);
  await tx.execute(sql`update drp_agents set token_issued_at = now() where tenant_id = ${agent.tenantId} and id = ${agent.id}`);
  await appendAudit(tx, ctx, { action: 'drp_agent.token_issued', object: 'drp_agent', recordIds: [agent.id], detail: { agentId: agent.agentId } });
  return token;
}
