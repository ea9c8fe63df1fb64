import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import { describe, expect, it } from 'vitest';
import type { AppDatabase } from '../src/db/connection.ts';
import { newId } from '../src/db/ids.ts';
import * as schema from '../src/db/schema/index.ts';
import type { AccessContext } from '../src/kernel/accessContext.ts';
import { appendAudit, appendAuditBatch, inMemoryAuditKeys, listAuditEntries, type AuditEntry, type AuditFilter } from '../src/kernel/audit.ts';
import { useAuditTestApp } from './support/auditTestApp.ts';

/* GET /api/v1/audit's filters: time window, actor, purpose, action (exact or prefix) and subject, ANDed and keyset-paged. */

const { t, database, db } = useAuditTestApp(inMemoryAuditKeys());

const userContext = (tenantId: string, userId: string, purpose: string | null): AccessContext => ({
  tenantId,
  actor: { type: 'user', id: userId, role: 'sales' },
  purpose,
});
const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

type Trail = { workspace: Awaited<ReturnType<ReturnType<typeof t>['createWorkspace']>>; ada: string; bob: string; subject: string; between: string };

/**
 * A workspace whose trail holds, in this order: Ada's sales reads and updates of a subject,
 * Bob's marketing reads, then (after `between`) Ada's deal entries and Bob's export.
 */
async function trail(): Promise<Trail> {
  const workspace = await t().createWorkspace();
  const [ada, bob, subject] = [newId(), newId(), newId()];
  await appendAudit(db(), userContext(workspace.id, ada, 'sales'), { action: 'contact.read', subjectIds: [subject] });
  await appendAudit(db(), userContext(workspace.id, ada, 'sales'), { action: 'contact.updated', subjectIds: [subject] });
  await appendAudit(db(), userContext(workspace.id, bob, 'email_marketing'), { action: 'contact.read', subjectIds: [subject] });
  await appendAudit(db(), userContext(workspace.id, bob, 'email_marketing'), { action: 'contact.listed' });
  await pause();
  const between = new Date().toISOString();
  await pause();
  await appendAudit(db(), userContext(workspace.id, ada, 'sales'), { action: 'deal.created' });
  await appendAudit(db(), userContext(workspace.id, ada, 'sales'), { action: 'deal.read', subjectIds: [subject] });
  await appendAudit(db(), userContext(workspace.id, bob, 'email_marketing'), { action: 'export.contacts' });
  return { workspace, ada, bob, subject, between };
}

async function auditPage(key: string, query: string) {
  const response = await t().request(key, { method: 'GET', url: `/api/v1/audit?${query}` });
  return { status: response.statusCode, body: response.json() };
}

/** The (action, actor) of each entry a filtered read returns, leaving out the reads of the trail itself. */
async function matching(key: string, query: string): Promise<string[]> {
  const { status, body } = await auditPage(key, query);
  expect(status, JSON.stringify(body)).toBe(200);
  return body.data.filter((entry: AuditEntry) => entry.action !== 'audit.read').map((entry: AuditEntry) => entry.action);
}

describe('audit filters', () => {
  it('narrows the trail by each filter alone', async () => {
    const { workspace, ada, bob, between } = await trail();
    const key = workspace.keys.privacy_officer;
    expect(await matching(key, `actor=${ada}`)).toEqual(['contact.read', 'contact.updated', 'deal.created', 'deal.read']);
    expect(await matching(key, `actor=${bob.toUpperCase()}`)).toEqual(['contact.read', 'contact.listed', 'export.contacts']);
    expect(await matching(key, 'purpose=email_marketing')).toEqual(['contact.read', 'contact.listed', 'export.contacts']);
    expect(await matching(key, 'action=contact.read')).toEqual(['contact.read', 'contact.read']);
    expect(await matching(key, 'action=contact.')).toEqual(['contact.read', 'contact.updated', 'contact.read', 'contact.listed']);
    expect(await matching(key, 'action=deal.')).toEqual(['deal.created', 'deal.read']);
    // A prefix is a whole dotted segment: "contact" alone is an exact action no entry has.
    expect(await matching(key, 'action=contact')).toEqual([]);
    expect(await matching(key, `to=${encodeURIComponent(between)}`)).toEqual(['contact.read', 'contact.updated', 'contact.read', 'contact.listed']);
    const after = await matching(key, `from=${encodeURIComponent(between)}`);
    expect(after.slice(0, 3)).toEqual(['deal.created', 'deal.read', 'export.contacts']);
  });

  it('combines filters with AND, the subject included', async () => {
    const { workspace, ada, bob, subject, between } = await trail();
    const key = workspace.keys.admin;
    expect(await matching(key, `actor=${ada}&action=contact.`)).toEqual(['contact.read', 'contact.updated']);
    expect(await matching(key, `subjectId=${subject}&purpose=sales`)).toEqual(['contact.read', 'contact.updated', 'deal.read']);
    expect(await matching(key, `subjectId=${subject}&purpose=sales&from=${encodeURIComponent(between)}`)).toEqual(['deal.read']);
    expect(await matching(key, `subjectId=${subject}&actor=${bob}&action=contact.read`)).toEqual(['contact.read']);
    expect(await matching(key, `actor=${bob}&purpose=sales`)).toEqual([]);
    // An offset in the instant is honoured: the same moment written in +02:00.
    const shifted = new Date(Date.parse(between) + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
    expect(await matching(key, `actor=${ada}&to=${encodeURIComponent(shifted)}`)).toEqual(['contact.read', 'contact.updated']);
  });

  it('pages a filtered trail by keyset: every match once, in sequence order, however sparse', async () => {
    const workspace = await t().createWorkspace();
    const actor = newId();
    const records = Array.from({ length: 40 }, (_, index) => ({ action: index % 7 === 0 ? 'contact.merged' : 'deal.read', detail: { index } }));
    await appendAuditBatch(db(), userContext(workspace.id, actor, 'sales'), records);
    const expected = records.flatMap((record, index) => (record.action === 'contact.merged' ? [index + 1] : []));
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { data: AuditEntry[]; nextCursor: string | null } } = await auditPage(
        workspace.keys.admin,
        `action=contact.merged&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((entry) => entry.sequence));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);
  });

  it("finds nothing of another workspace's trail, whatever the filter", async () => {
    const mine = await trail();
    const theirs = await trail();
    for (const query of [`actor=${theirs.ada}`, 'action=deal.', 'purpose=sales', `subjectId=${theirs.subject}`]) {
      const { body } = await auditPage(mine.workspace.keys.admin, query);
      const sequences = body.data.map((entry: AuditEntry) => entry.sequence);
      const ours = (await listAuditEntries(db(), mine.workspace.id, { limit: 1000 })).map((entry) => entry.sequence);
      expect(sequences.every((sequence: number) => ours.includes(sequence))).toBe(true);
      expect(body.data.some((entry: AuditEntry) => entry.actor.id === theirs.ada || entry.actor.id === theirs.bob)).toBe(false);
    }
    expect(await matching(mine.workspace.keys.admin, `actor=${theirs.ada}`)).toEqual([]);
    expect(await matching(mine.workspace.keys.admin, `subjectId=${theirs.subject}`)).toEqual([]);
  });

  it('refuses malformed filters with a validation problem naming the parameter', async () => {
    const workspace = await t().createWorkspace();
    const cases: Array<[string, string]> = [
      ['from=yesterday', 'querystring.from'],
      ['to=2026-13-01T00:00:00Z', 'querystring.to'],
      ['from=0000-01-01T00:00:00Z', 'querystring.from'],
      ['from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', 'querystring.to'],
      ['from=2026-01-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'querystring.to'],
      ['actor=ada%40example.com', 'querystring.actor'],
      ['purpose=Sales', 'querystring.purpose'],
      ['action=contact read', 'querystring.action'],
      ['action=.read', 'querystring.action'],
      ['action=contact..', 'querystring.action'],
      [`subjectId=not-a-uuid`, 'querystring.subjectId'],
      [`subjectId=${newId()}&pseudonym=${'a'.repeat(32)}`, 'querystring.pseudonym'],
    ];
    for (const [query, field] of cases) {
      const { status, body } = await auditPage(workspace.keys.admin, query);
      expect({ query, status, code: body.code }).toEqual({ query, status: 422, code: 'validation_failed' });
      expect(body.errors.map((error: { field: string }) => error.field)).toContain(field);
      // The refusal never quotes the value sent.
      expect(JSON.stringify(body)).not.toContain('example.com');
    }
  });

  it('stays for admins and privacy officers only, filters or not', async () => {
    const { workspace, ada } = await trail();
    for (const role of ['sales', 'support', 'marketing', 'analyst'] as const) {
      expect((await auditPage(workspace.keys[role], `actor=${ada}`)).status).toBe(403);
    }
  });

  it('records the names of the filters a read used, never their values', async () => {
    const { workspace, ada } = await trail();
    await auditPage(workspace.keys.admin, `actor=${ada}&action=deal.&from=2020-01-01T00:00:00Z`);
    const reads = (await listAuditEntries(db(), workspace.id, { limit: 1000, filter: { action: { exact: 'audit.read' } } })).at(-1);
    expect(reads?.detail).toEqual({ filters: ['from', 'actor', 'action'] });
    expect(JSON.stringify(reads)).not.toContain(ada);
  });

  it('reads each filter through its index rather than the whole chain', async () => {
    const workspace = await t().createWorkspace();
    const rare = newId();
    const noise = Array.from({ length: 3000 }, (_, index) => ({ action: `deal.read`, detail: { index } }));
    await appendAuditBatch(db(), userContext(workspace.id, newId(), 'sales'), noise);
    await pause();
    const recently = new Date();
    await appendAudit(db(), userContext(workspace.id, rare, 'legal_compliance'), { action: 'subject.erased' });
    await database().exec('analyze audit_entries');
    const plans: Array<[AuditFilter, string]> = [
      [{ actor: rare }, 'audit_entries_actor_idx'],
      [{ purpose: 'legal_compliance' }, 'audit_entries_purpose_idx'],
      [{ action: { exact: 'subject.erased' } }, 'audit_entries_action_idx'],
      [{ action: { prefix: 'subject.' } }, 'audit_entries_action_idx'],
      [{ from: recently }, 'audit_entries_occurred_idx'],
    ];
    for (const [filter, index] of plans) {
      const plan = await explain((capturing) => listAuditEntries(capturing, workspace.id, { limit: 51, filter }));
      expect({ filter, plan }).toEqual({ filter, plan: expect.stringContaining(index) });
    }
  });
});

/** The plan PostgreSQL makes for the one statement `run` sends, with its real parameters. */
async function explain(run: (db: AppDatabase) => Promise<unknown>): Promise<string> {
  const sent: Array<{ query: string; params: unknown[] }> = [];
  const logger = { logQuery: (query: string, params: unknown[]) => sent.push({ query, params }) };
  const { pglite, pool } = database();
  const capturing = pglite
    ? (drizzlePglite(pglite, { schema, logger }) as unknown as AppDatabase)
    : (drizzlePostgres(pool!, { schema, logger }) as unknown as AppDatabase);
  await run(capturing);
  expect(sent).toHaveLength(1);
  const rows = await database().query<{ 'QUERY PLAN': string }>(`explain ${sent[0].query}`, sent[0].params);
  return rows.map((row) => row['QUERY PLAN']).join('\n');
}
