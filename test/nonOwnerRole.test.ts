import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/connection.ts';
import { newId } from '../src/db/ids.ts';
import { migrateDatabase } from '../src/migrate.ts';
import { startJobRunner } from '../src/queue/jobRunner.ts';
import { systemContext } from '../src/kernel/accessContext.ts';
import { appendAudit, eraseSubjectTrails, inMemoryAuditKeys, verifyAuditChain } from '../src/kernel/audit.ts';
import { testDatabaseUrl } from './support/testDatabase.ts';

// docs/running-as-non-owner.md, run as written: its SQL blocks are read from the document,
// with unique role and database names, so the document cannot drift from what works.
// PostgreSQL only: roles and privileges do not exist in the embedded database.

const suffix = randomBytes(4).toString('hex');
const names = { owner: `candor_owner_${suffix}`, app: `candor_app_${suffix}`, database: `candor_nonowner_${suffix}` };
const auditTables = ['audit_entries', 'audit_subjects', 'audit_checkpoints'];

/** The ```sql <tag> block of the document, with this run's names. */
function documentSql(tag: string): string {
  const text = readFileSync(new URL('../docs/running-as-non-owner.md', import.meta.url), 'utf8');
  const block = new RegExp(`\`\`\`sql ${tag}\\n([\\s\\S]*?)\`\`\``).exec(text)?.[1];
  if (!block) throw new Error(`docs/running-as-non-owner.md has no sql ${tag} block`);
  return block
    .replace(/\bcandor_owner\b/g, names.owner)
    .replace(/\bcandor_app\b/g, names.app)
    .replace(/\bDATABASE candor\b/g, `DATABASE ${names.database}`);
}

function urlAs(role: string): string {
  const url = new URL(testDatabaseUrl as string);
  url.username = role;
  url.password = role === names.owner ? 'change-me-owner' : 'change-me-app';
  url.pathname = `/${names.database}`;
  return url.toString();
}

async function asSuperuser(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

let owner: Database;
let app: Database;

describe.skipIf(!testDatabaseUrl)('Candor connected as a role that does not own the audit tables', () => {
  beforeAll(async () => {
    // CREATE DATABASE cannot run inside a multi-statement string, so one statement at a time.
    for (const statement of documentSql('superuser')
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean))
      await asSuperuser(statement);
    owner = await openDatabase({ databaseUrl: urlAs(names.owner) });
    await migrateDatabase(owner);
    await owner.exec(documentSql('grants'));
    app = await openDatabase({ databaseUrl: urlAs(names.app) });
  });

  afterAll(async () => {
    await app?.close();
    await owner?.close();
    await asSuperuser(`drop database if exists ${names.database} with (force)`);
    await asSuperuser(`drop role if exists ${names.app}`);
    await asSuperuser(`drop role if exists ${names.owner}`);
  });

  it('starts as the app role: the pending-migration check passes and the job queue installs its schema', async () => {
    await migrateDatabase(app);
    const runner = await startJobRunner(app, {});
    await runner.stop();
    const [schema] = await app.query<{ owner: string }>(`select pg_get_userbyid(nspowner) as owner from pg_namespace where nspname = 'pgboss'`);
    expect(schema.owner).toBe(names.app);
  });

  it('appends to and verifies the audit trail as the app role', async () => {
    const tenantId = newId();
    const ctx = systemContext(tenantId, 'non-owner-test', 'sales');
    await appendAudit(app.db, ctx, { action: 'deal.updated', object: 'deal', fields: ['amount'] });
    await appendAudit(app.db, ctx, { action: 'deal.updated', object: 'deal', fields: ['stage'] });
    expect(await verifyAuditChain(app.db, tenantId)).toMatchObject({ ok: true, entries: 2 });
  });

  it.each(auditTables)('refuses UPDATE and TRUNCATE of %s to the app role for want of privilege', async (table) => {
    await expect(app.query(`update ${table} set tenant_id = tenant_id`)).rejects.toThrow(`permission denied for table ${table}`);
    await expect(app.query(`truncate ${table}`)).rejects.toThrow(`permission denied for table ${table}`);
  });

  it.each(['audit_entries', 'audit_checkpoints'])('refuses DELETE of %s to the app role for want of privilege', async (table) => {
    await expect(app.query(`delete from ${table}`)).rejects.toThrow(`permission denied for table ${table}`);
  });

  it("lets the app role delete a subject's index rows only behind the entry that records their erasure", async () => {
    const keys = inMemoryAuditKeys();
    const tenantId = newId();
    const ctx = systemContext(tenantId, 'non-owner-test', 'sales');
    const [erased, kept] = [newId(), newId()];
    await appendAudit(app.db, ctx, { action: 'contact.read', subjectIds: [erased, kept] }, { keys });
    await expect(app.query('delete from audit_subjects where tenant_id = $1', [tenantId])).rejects.toThrow(
      'the audit trail is append-only: DELETE on audit_subjects is refused',
    );
    expect(await eraseSubjectTrails(app.db, ctx, [erased], { keys })).toHaveLength(1);
    expect(await app.query('select sequence from audit_subjects where tenant_id = $1', [tenantId])).toEqual([{ sequence: expect.anything() }]);
    expect(await verifyAuditChain(app.db, tenantId)).toMatchObject({ ok: true, entries: 2 });
  });

  it.each(auditTables)('does not let the app role switch off the triggers of %s', async (table) => {
    await expect(app.query(`alter table ${table} disable trigger user`)).rejects.toThrow(`must be owner of table ${table}`);
  });

  it('refuses UPDATE of an audit entry even to the owner, through the trigger', async () => {
    await expect(owner.query('update audit_entries set action = action')).rejects.toThrow('the audit trail is append-only: UPDATE on audit_entries is refused');
  });
});
