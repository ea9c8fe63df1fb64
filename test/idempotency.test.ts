import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/accounts/apiKeys.ts';
import { openDatabase } from '../src/db/connection.ts';
import { migrateDatabase } from '../src/migrate.ts';
import { systemContext } from '../src/kernel/accessContext.ts';
import { kernelKeyStore } from '../src/kernel/runtime.ts';
import { readContacts } from '../src/kernel/contactRecords.ts';
import { copyMigratedDataDir } from './support/databaseTemplates.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';
import { openTestDatabase, testDatabaseUrl, type TestDatabase } from './support/testDatabase.ts';

let t: TestApp;
let workspace: TestWorkspace;

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
});
afterAll(() => t.close());

// Values are sealed at rest: count through the kernel, which opens them.
const contactsWithCity = async (database: TestDatabase | TestApp['database'], tenantId: string, city: string) =>
  (await readContacts(database.db, systemContext(tenantId, 'idempotency-test', 'sales'), { limit: 10_000 })).rows.filter((row) => row.personal.city === city)
    .length;

const post = (app: TestApp, key: string, idempotencyKey: string, payload: Record<string, unknown>, url = '/api/v1/contacts') =>
  app.request(key, { method: 'POST', url, payload, headers: { 'idempotency-key': idempotencyKey } });

describe('idempotent POST', () => {
  it('replays a sequential retry with the same id and status, creating one row', async () => {
    const first = await post(t, workspace.keys.sales, 'seq-1', { firstName: 'Once', city: 'Sequential' });
    const second = await post(t, workspace.keys.sales, 'seq-1', { firstName: 'Once', city: 'Sequential' });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json().data.id).toBe(first.json().data.id);
    expect(second.headers.etag).toBe('"1"');
    expect(await contactsWithCity(t.database, workspace.id, 'Sequential')).toBe(1);
  });

  it('creates one row from five concurrent identical requests', async () => {
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => post(t, workspace.keys.sales, 'concurrent-1', { firstName: 'Many', city: 'Concurrent' })),
    );
    expect(responses.map((response) => response.statusCode)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(responses.map((response) => response.json().data.id)).size).toBe(1);
    expect(await contactsWithCity(t.database, workspace.id, 'Concurrent')).toBe(1);
  });

  it('creates one company from five concurrent identical requests', async () => {
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => post(t, workspace.keys.admin, 'company-1', { name: 'Concurrent Company' }, '/api/v1/companies')),
    );
    expect(new Set(responses.map((response) => response.json().data.id)).size).toBe(1);
    const [row] = await t.database.query<{ count: number }>(
      `select count(*)::int as count from companies where tenant_id = $1 and name = 'Concurrent Company'`,
      [workspace.id],
    );
    expect(row.count).toBe(1);
  });

  it('refuses the same key with a different body with 422 naming Idempotency-Key', async () => {
    await post(t, workspace.keys.sales, 'reuse-1', { firstName: 'First', city: 'Reuse' });
    const response = await post(t, workspace.keys.sales, 'reuse-1', { firstName: 'Second', city: 'Reuse' });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors[0].field).toBe('Idempotency-Key');
    expect(await contactsWithCity(t.database, workspace.id, 'Reuse')).toBe(1);
  });

  it('does not store a failed request, so a corrected retry with the key succeeds', async () => {
    const failed = await post(t, workspace.keys.sales, 'fix-1', { email: 'broken' });
    expect(failed.statusCode).toBe(422);
    const [row] = await t.database.query<{ count: number }>(`select count(*)::int as count from idempotency_keys where tenant_id = $1 and key = 'fix-1'`, [
      workspace.id,
    ]);
    expect(row.count).toBe(0);
  });

  it('creates one row when a request is retried after the server restarts on the same database', async () => {
    const dataDir = testDatabaseUrl ? null : mkdtempSync(join(tmpdir(), 'candor-idempotency-'));
    if (dataDir) await copyMigratedDataDir(dataDir);
    // On PostgreSQL the test database outlives both apps; each app gets its own pool to it.
    const holder = testDatabaseUrl ? await openTestDatabase() : null;
    const open = async (): Promise<TestDatabase> => {
      const database = holder ? await openDatabase({ databaseUrl: holder.url }) : await openDatabase({ dataDir: dataDir ?? '' });
      await migrateDatabase(database);
      return database;
    };
    try {
      const before = await createTestApp({ database: await open() });
      const ws = await before.createWorkspace();
      const first = await post(before, ws.keys.sales, 'restart-1', { firstName: 'Durable', city: 'Restart' });
      expect(first.statusCode).toBe(201);
      await before.close();

      const after = await createTestApp({ database: await open() });
      const retry = await post(after, ws.keys.sales, 'restart-1', { firstName: 'Durable', city: 'Restart' });
      expect(retry.statusCode).toBe(201);
      expect(retry.json().data.id).toBe(first.json().data.id);
      expect(await contactsWithCity(after.database, ws.id, 'Restart')).toBe(1);
      await after.close();
    } finally {
      await holder?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the stored idempotency record', () => {
  // The outside tester's finding: a plain SHA-256 of the body outlives the contact, so a
  // database copy lets anyone confirm a guessed e-mail address by hashing it.
  const bodyFor = (name: string) => ({ firstName: 'Fingerprinted', email: `${name}@fingerprint.example.com` });
  const storedFingerprint = async (tenantId: string, idempotencyKey: string) =>
    (
      await t.database.query<{ fingerprint: string }>('select request_fingerprint as fingerprint from idempotency_keys where tenant_id = $1 and key = $2', [
        tenantId,
        idempotencyKey,
      ])
    )[0]?.fingerprint;

  it('holds no SHA-256 of the request that a database copy could recompute from a guess', async () => {
    const body = bodyFor('guess.me');
    expect((await post(t, workspace.keys.sales, 'fingerprint-1', body)).statusCode).toBe(201);
    const stored = await storedFingerprint(workspace.id, 'fingerprint-1');
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    const guesses = [`POST /api/v1/contacts\n${JSON.stringify(body)}`, JSON.stringify(body), body.email];
    for (const guess of guesses) expect(stored).not.toBe(createHash('sha256').update(guess).digest('hex'));
    // It is an HMAC under the workspace's key from the key store (outside the database): only with that key does a guess match.
    const keyed = (key: Buffer) => createHmac('sha256', key).update(`candor-request-fingerprint\u0000v1\u0000${guesses[0]}`).digest('hex');
    expect(stored).toBe(keyed(await kernelKeyStore().requestFingerprintKey(workspace.id)));
    expect(stored).not.toBe(keyed(Buffer.alloc(32)));
  });

  it('is keyed per workspace: the same request in two workspaces leaves two unrelated fingerprints', async () => {
    const other = await t.createWorkspace();
    const body = bodyFor('twice');
    expect((await post(t, workspace.keys.sales, 'fingerprint-2', body)).statusCode).toBe(201);
    expect((await post(t, other.keys.sales, 'fingerprint-2', body)).statusCode).toBe(201);
    expect(await storedFingerprint(workspace.id, 'fingerprint-2')).not.toBe(await storedFingerprint(other.id, 'fingerprint-2'));
  });
});

describe('purposes on contact requests', () => {
  it('refuses an unknown Candor-Purpose with 400 naming the header', async () => {
    const response = await t.request(workspace.keys.sales, { method: 'GET', url: '/api/v1/contacts', purpose: 'world_domination' });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].field).toBe('Candor-Purpose');
  });

  it("refuses a purpose outside the key's set with 403 and accepts one inside it", async () => {
    const { key } = await createApiKey(t.database.db, { tenantId: workspace.id, name: 'sales only', role: 'sales', purposes: ['sales'] });
    const outside = await t.request(key, { method: 'POST', url: '/api/v1/contacts', payload: { firstName: 'Nope' }, purpose: 'email_marketing' });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().errors[0].field).toBe('Candor-Purpose');
    const inside = await t.request(key, { method: 'POST', url: '/api/v1/contacts', payload: { firstName: 'Yes' }, purpose: 'sales' });
    expect(inside.statusCode).toBe(201);
  });
});
