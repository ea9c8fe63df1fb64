import { randomInt } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { selectRows } from '../../db/rows.ts';
import { invalid } from '../../shared/domainError.ts';

/*
 * The workspace's Data Rights Protocol business id: the identifier the business publishes
 * (to agents, and in the DRP service directory, whose pattern is [A-Z_]+, §3.05.2) and every
 * agent's signed `business-id` must name. Candor generates it the first time it is read and
 * keeps it in the global drp_business_lookup, unique, so no admin can type, or take, another
 * workspace's id; it never changes afterwards.
 */

const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const generatedBusinessId = () => `CANDOR_${Array.from({ length: 16 }, () => letters[randomInt(letters.length)]).join('')}`;

/** The workspace's business id, generated and stored the first time it is asked for. */
export async function workspaceBusinessId(tx: Executor, tenantId: string): Promise<string> {
  const [existing] = await selectRows<{ business_id: string }>(tx, sql`select business_id from drp_business_lookup where tenant_id = ${tenantId}`);
  if (existing) return existing.business_id;
  await tx.execute(
    sql`insert into drp_business_lookup (business_id, tenant_id) values (${generatedBusinessId()}, ${tenantId}) on conflict (tenant_id) do nothing`,
  );
  const [stored] = await selectRows<{ business_id: string }>(tx, sql`select business_id from drp_business_lookup where tenant_id = ${tenantId}`);
  return stored.business_id;
}

/** The workspace's business id, after checking that a business id given with an agent (if any) is it: 422 naming businessId otherwise. */
export async function checkedBusinessId(tx: Executor, tenantId: string, given: string | undefined): Promise<string> {
  const own = await workspaceBusinessId(tx, tenantId);
  if (given !== undefined && given.trim() !== own) throw invalid('businessId', "must be this workspace's business id (GET /drp-business), or left out");
  return own;
}
