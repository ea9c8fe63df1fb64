import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/db/ids.ts';
import { applyMigrations, checkedInMigrations, migrationIndexOf } from './support/migrationSteps.ts';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.ts';

// Migration 0038 gives each workspace that had Data Rights Protocol agents its own generated
// business id, replaces the ids its admins had typed per agent (one of them another
// workspace's) with it, and revokes the tokens set up under the typed ones.

const businessMigration = migrationIndexOf(/CREATE TABLE "drp_business_lookup"/);

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase({ migrate: false });
});
afterAll(() => database?.close());

async function workspaceWithAgent(label: string, typedBusinessId: string): Promise<string> {
  const id = newId();
  const agent = newId();
  await database.query(`insert into workspaces (id, slug, name) values ($1, $2, $3)`, [id, `${label}-${id.slice(0, 8)}`, label]);
  await database.query(
    `insert into drp_agents (tenant_id, id, agent_id, name, verify_key, business_id, token_issued_at) values ($1, $2, $3, $3, 'key', $4, now())`,
    [id, agent, `AGENT_${label.toUpperCase()}`, typedBusinessId],
  );
  await database.query(`insert into drp_agent_lookup (agent_id, business_id, tenant_id, agent, token_hash) values ($1, $2, $3, $4, $5)`, [
    `AGENT_${label.toUpperCase()}`,
    typedBusinessId,
    id,
    agent,
    `hash-${label}`,
  ]);
  return id;
}

describe('the migration making the DRP business id the workspace’s', () => {
  it('gives each workspace with agents one generated id of its own, moves its agents onto it and revokes their tokens', async () => {
    expect(businessMigration).toBeGreaterThan(0);
    await applyMigrations(database, 0, businessMigration);
    const owner = await workspaceWithAgent('owner', 'SHOP_BUSINESS');
    const squatter = await workspaceWithAgent('squatter', 'SHOP');
    const quiet = newId();
    await database.query(`insert into workspaces (id, slug, name) values ($1, $2, 'quiet')`, [quiet, `quiet-${quiet.slice(0, 8)}`]);
    await applyMigrations(database, businessMigration, checkedInMigrations.length);

    const businesses = await database.query<{ tenant_id: string; business_id: string }>(`select tenant_id, business_id from drp_business_lookup`);
    const businessOf = new Map(businesses.map((row) => [row.tenant_id, row.business_id]));
    expect([...businessOf.keys()].sort()).toEqual([owner, squatter].sort());
    expect(businessOf.get(owner)).toMatch(/^CANDOR_[A-P]{16}$/);
    expect(businessOf.get(squatter)).toMatch(/^CANDOR_[A-P]{16}$/);
    expect(businessOf.get(owner)).not.toBe(businessOf.get(squatter));
    for (const tenantId of [owner, squatter]) {
      const [agent] = await database.query<{ business_id: string; token_issued_at: unknown }>(
        `select business_id, token_issued_at from drp_agents where tenant_id = $1`,
        [tenantId],
      );
      expect(agent).toEqual({ business_id: businessOf.get(tenantId), token_issued_at: null });
      const [lookup] = await database.query<{ business_id: string; token_hash: string | null }>(
        `select business_id, token_hash from drp_agent_lookup where tenant_id = $1`,
        [tenantId],
      );
      expect(lookup).toEqual({ business_id: businessOf.get(tenantId), token_hash: null });
    }
  });
});
