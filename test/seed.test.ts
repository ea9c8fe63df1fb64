import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findWorkspaceBySlug } from '../src/accounts/workspaces.ts';
import { demoSizeFor } from '../src/crm/seed/demoData.ts';
import { demoUsers, ensureDemoWorkspace } from '../src/crm/seed/demoWorkspace.ts';
import { demoRecordId, seedWorkspace, type SeedResult } from '../src/crm/seed/seedWorkspace.ts';
import { openDatabase } from '../src/db/connection.ts';
import { systemContext } from '../src/kernel/accessContext.ts';
import { readActivityContents } from '../src/kernel/activityContent.ts';
import { findContactIdsByLookup, readContact } from '../src/kernel/contactRecords.ts';
import { ensureTestKernel } from '../src/kernel/runtime.ts';
import { ledgerConsentStore } from '../src/kernel/index.ts';
import { previewRetention } from '../src/privacy/retention/retentionSweep.ts';
import { candorEnv, removeTempDataDirs, runCandor, tempDataDir } from './support/candorProcess.ts';
import { tenantRowCount } from './support/tenantRowCount.ts';
import { openTestDatabase, testDatabaseUrl, type TestDatabase } from './support/testDatabase.ts';

let database: TestDatabase;
const quiet = { log: () => undefined };

const tables = ['companies', 'contacts', 'deals', 'activities', 'purchases', 'events'] as const;

async function counts(tenantId: string): Promise<Record<(typeof tables)[number], number>> {
  const result = {} as Record<(typeof tables)[number], number>;
  for (const table of tables) result[table] = await tenantRowCount(database, tenantId, table);
  return result;
}

/** A contact of the workspace whose consent to the purpose the state table says is live now. */
async function liveSubject(tenantId: string, purposeKey: string): Promise<string | undefined> {
  const [row] = await database.query<{ subject_id: string }>(
    `select subject_id from consent_states where tenant_id = $1 and purpose_key = $2 and state = 'given' and (expires_at is null or expires_at > now()) limit 1`,
    [tenantId, purposeKey],
  );
  return row?.subject_id;
}

const added = (result: SeedResult) => Object.fromEntries(tables.map((table) => [table, result[table].added]));

beforeAll(async () => {
  // Seeding in-process seals contact values: the kernel needs a key store, as in the server.
  ensureTestKernel();
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
  removeTempDataDirs();
});

describe('candor seed --demo', () => {
  it('creates the demo users and a consistent workspace: every kind of record, in proportion', async () => {
    const { workspace, result } = await ensureDemoWorkspace(database, { ...quiet, slug: 'seeded', contacts: 120 });
    const size = demoSizeFor(120);
    expect(await counts(workspace.id)).toEqual({
      companies: size.companies,
      contacts: 120,
      deals: size.deals,
      activities: size.activities,
      purchases: size.purchases,
      events: size.events,
    });
    expect(added(result)).toEqual(await counts(workspace.id));
    const users = await database.query<{ email: string }>('select email from users where tenant_id = $1', [workspace.id]);
    expect(users.map((user) => user.email).sort()).toEqual(demoUsers.map((user) => user.email).sort());

    // Deals sit in the workspace's default pipeline, on its own stages.
    const [misplaced] = await database.query<{ n: number }>(
      `select count(*)::int as n from deals d join pipelines p on p.tenant_id = d.tenant_id and p.id = d.pipeline_id
       join pipeline_stages s on s.tenant_id = d.tenant_id and s.id = d.stage_id and s.pipeline_id = p.id
       where d.tenant_id = $1 and not p.is_default`,
      [workspace.id],
    );
    expect(misplaced.n).toBe(0);
    const [linked] = await database.query<{ n: number }>('select count(*)::int as n from deal_contacts where tenant_id = $1', [workspace.id]);
    expect(linked.n).toBeGreaterThan(0);
    // Every purchase's total is the sum of its lines.
    const [wrongTotals] = await database.query<{ n: number }>(
      `select count(*)::int as n from purchases p where p.tenant_id = $1 and p.total_minor <>
         (select sum(l.quantity * l.unit_price_minor) from purchase_lines l where l.tenant_id = p.tenant_id and l.purchase_id = p.id)`,
      [workspace.id],
    );
    expect(wrongTotals.n).toBe(0);
  });

  it('writes personal values through the kernel: contacts are found by e-mail, activities have their text', async () => {
    const workspace = await findWorkspaceBySlug(database.db, 'seeded');
    const ctx = systemContext(workspace?.id ?? '', 'test', 'sales');
    const contact = await readContact(database.db, ctx, demoRecordId(ctx.tenantId, 'contact', 7));
    expect(contact?.personal.email).toMatch(/\.7@example\.(com|org|net)$/);
    const found = await findContactIdsByLookup(database.db, ctx, 'email', [String(contact?.personal.email)]);
    expect(found.get(String(contact?.personal.email))).toEqual([contact?.id]);
    const activityId = demoRecordId(ctx.tenantId, 'activity', 3);
    expect((await readActivityContents(database.db, ctx, [activityId])).get(activityId)?.subject).toEqual(expect.any(String));
    const [active] = await database.query<{ n: number }>('select count(*)::int as n from contacts where tenant_id = $1 and last_activity_at is not null', [
      ctx.tenantId,
    ]);
    expect(active.n).toBeGreaterThan(0);
  });

  it('gives the demo a consent history: live consents for every consent purpose, withdrawals, expiries and GPC opt-outs', async () => {
    const workspace = await findWorkspaceBySlug(database.db, 'seeded');
    if (!workspace) throw new Error('seeded workspace missing');
    const consentPurposes = await database.query<{ key: string }>("select key from purposes where tenant_id = $1 and legal_basis = 'consent' order by key", [
      workspace.id,
    ]);
    expect(consentPurposes.map((purpose) => purpose.key)).toEqual(['email_marketing', 'targeted_advertising', 'third_party_sharing', 'web_analytics']);
    const now = new Date();
    for (const { key } of consentPurposes) {
      // Liveness as the policy reads it (the ledger's ConsentStore), over the demo's contacts.
      const [live] = await database.query<{ n: number }>(
        `select count(*)::int as n from contacts c where c.tenant_id = $1 and exists (
           select 1 from consent_states s where s.tenant_id = c.tenant_id and s.subject_id = c.id and s.purpose_key = $2
             and s.state in ('given', 'renewed') and (s.expires_at is null or s.expires_at > $3))`,
        [workspace.id, key, now.toISOString()],
      );
      expect(live.n, key).toBeGreaterThan(0);
      expect(await ledgerConsentStore.isLive(database.db, workspace.id, (await liveSubject(workspace.id, key)) ?? '', key, now), key).toBe(true);
    }
    const states = await database.query<{ state: string; channel: string; n: number }>(
      'select state, channel, count(*)::int as n from consent_events where tenant_id = $1 group by 1, 2',
      [workspace.id],
    );
    const total = (state: string, channel?: string) =>
      states.filter((row) => row.state === state && (!channel || row.channel === channel)).reduce((sum, row) => sum + row.n, 0);
    expect(total('withdrawn')).toBeGreaterThan(0);
    expect(total('withdrawn', 'email_link')).toBeGreaterThan(0);
    expect(total('expired')).toBeGreaterThan(0);
    expect(total('refused')).toBeGreaterThan(0);
    expect(total('opted_out', 'gpc')).toBeGreaterThan(0);
    // Written set-wise, one audit entry per batch, not one per event: the contacts' histories,
    // and the first-visit consents of the visitors the (single) batch of events created.
    const [audited] = await database.query<{ n: number }>(
      "select count(*)::int as n from audit_entries where tenant_id = $1 and action = 'consent.history_appended'",
      [workspace.id],
    );
    expect(audited.n).toBe(2);
  });

  it('loses nothing at its first retention sweep: every visitor agreed to web analytics and every event is inside its period', async () => {
    const workspace = await findWorkspaceBySlug(database.db, 'seeded');
    if (!workspace) throw new Error('seeded workspace missing');
    const [visitors] = await database.query<{ all: number; agreed: number }>(
      `select count(*)::int as all, count(s.subject_id)::int as agreed from visitors v
         left join consent_states s on s.tenant_id = v.tenant_id and s.subject_id = v.id and s.purpose_key = 'web_analytics' and s.state = 'given'
        where v.tenant_id = $1`,
      [workspace.id],
    );
    expect(visitors.all).toBeGreaterThan(0);
    expect(visitors.agreed).toBe(visitors.all);
    const plan = await previewRetention(database.db, workspace.id);
    expect(plan.subjects).toEqual([]);
    expect(plan.eventsBefore).not.toBeNull();
    expect(plan.expiredEvents).toBe(0);
  });

  it('adds nothing when run again, and only the missing records when asked for more contacts', async () => {
    const workspace = await findWorkspaceBySlug(database.db, 'seeded');
    if (!workspace) throw new Error('seeded workspace missing');
    const before = await counts(workspace.id);
    const again = await ensureDemoWorkspace(database, { ...quiet, slug: 'seeded', contacts: 120 });
    expect(Object.values(added(again.result)).every((count) => count === 0)).toBe(true);
    expect(await counts(workspace.id)).toEqual(before);

    const grown = await seedWorkspace(database, workspace, { contacts: 150 });
    expect(grown.contacts).toEqual({ planned: 150, added: 30 });
    expect((await counts(workspace.id)).contacts).toBe(150);
    const [duplicates] = await database.query<{ n: number }>(
      "select count(*)::int as n from (select personal->>'email' from contacts where tenant_id = $1 group by 1 having count(*) > 1) d",
      [workspace.id],
    );
    expect(duplicates.n).toBe(0);
  });

  it('completes a run that stopped half-way', async () => {
    const { workspace: target } = await ensureDemoWorkspace(database, { ...quiet, slug: 'interrupted', contacts: 1 });
    const stopAtActivities = (phase: string) => ({
      tick() {
        if (phase === 'activities') throw new Error('stopped');
      },
      finish() {},
      fail() {},
    });
    await expect(seedWorkspace(database, target, { contacts: 80, progress: stopAtActivities })).rejects.toThrow('stopped');
    const partial = await counts(target.id);
    expect(partial.contacts).toBe(80);
    expect(partial.events).toBe(demoSizeFor(1).events);
    const completed = await seedWorkspace(database, target, { contacts: 80 });
    expect(completed.contacts.added).toBe(0);
    expect(completed.events.added).toBe(demoSizeFor(80).events - demoSizeFor(1).events);
    expect((await counts(target.id)).activities).toBe(demoSizeFor(80).activities);
  });

  it('runs from the command line with a progress bar per kind of record', async () => {
    const child = testDatabaseUrl ? await openTestDatabase({ migrate: false }) : null;
    try {
      const env = child ? candorEnv({ DATABASE_URL: child.url ?? '' }) : candorEnv({ CANDOR_DATA_DIR: tempDataDir() });
      const result = await runCandor(['seed', '--demo', '--contacts', '40', '--workspace', 'cli-demo'], env);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/contacts\s+\[#{20}\] 100% 40\/40 .*done in/);
      expect(result.stderr).toContain('added 5 companies, 40 contacts');
      expect(result.stdout).toContain('workspace cli-demo');
      const tenantId = /\(id ([0-9a-f-]{36})\)/.exec(result.stdout)?.[1] ?? '';
      const check = child ?? (await openDatabase({ dataDir: String(env.CANDOR_DATA_DIR), command: 'test' }));
      try {
        const [row] = await check.query<{ n: number }>('select count(*)::int as n from contacts where tenant_id = $1', [tenantId]);
        expect(row.n).toBe(40);
      } finally {
        if (!child) await check.close();
      }
    } finally {
      await child?.close();
    }
  }, 240_000);
});
