import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { giveConsent } from './support/consentLedger.ts';
import { consentingVisitors } from './support/consentingVisitors.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';
import { eventually, startTestJobRunner, type TestJobRunner } from './support/jobs.ts';

// Receivers in this test listen on 127.0.0.1, which production refuses.
process.env.CANDOR_WEBHOOK_ALLOW_PRIVATE_NETWORKS = '1';

// Values no other code path produces by accident: if one of them shows up in a log line, an
// idempotency record, a job payload, a webhook payload, an audit entry or an import report,
// personal data leaked out of the columns the privacy kernel owns.
const seeded = {
  firstName: 'Zephyrinea',
  lastName: 'Quillfeatherby',
  email: 'zephyrinea.quillfeatherby@example.org',
  phone: '+15550199123',
  jobTitle: 'Lighthousekeeperxyz',
  anonymousId: 'anon-visitor-7f3c9e1b2d',
  pageUrl: 'https://example.org/private-page-qfb',
  noteBody: 'Mentioned a confidential matter kestrelwhisper',
  badEmail: 'zephyrinea-at-nowherexyz',
};
const needles = Object.values(seeded).flatMap((value) => [value, value.toLowerCase(), value.replace('+', '')]);

let t: TestApp;
let workspace: TestWorkspace;
let runner: TestJobRunner;
let receiver: Server;
const receivedBodies: string[] = [];
const responseBodies: string[] = [];

function findLeaks(where: string, text: string): string[] {
  const lower = text.toLowerCase();
  return [...new Set(needles.filter((needle) => lower.includes(needle.toLowerCase())))].map((needle) => `${where}: ${needle}`);
}

/**
 * The rows a query returns, as text to scan. A broken query fails the test, and so does an
 * empty table: a scan of nothing would pass whatever Candor leaked.
 */
async function tableText(sql: string): Promise<string> {
  const rows = await t.database.query<{ row: unknown }>(sql);
  expect(rows.length, `${sql} returned no rows to scan`).toBeGreaterThan(0);
  return JSON.stringify(rows);
}

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      receivedBodies.push(Buffer.concat(chunks).toString('utf8'));
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  t = await createTestApp();
  workspace = await t.createWorkspace();
  runner = await startTestJobRunner(t.database);

  const admin = workspace.keys.admin;
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const subscribed = await t.request(admin, { method: 'POST', url: '/api/v1/webhooks', payload: { url, eventTypes: ['*'] } });
  expect(subscribed.statusCode).toBe(201);

  const send = async (options: Parameters<TestApp['request']>[1], key = admin) => {
    const response = await t.request(key, options);
    responseBodies.push(response.body);
    return response;
  };
  const contact = { firstName: seeded.firstName, lastName: seeded.lastName, email: seeded.email, phone: seeded.phone, jobTitle: seeded.jobTitle };
  const created = await send({ method: 'POST', url: '/api/v1/contacts', payload: contact, headers: { 'idempotency-key': 'leak-test-1' } });
  expect(created.statusCode).toBe(201);
  const contactId = created.json().data.id as string;
  expect((await send({ method: 'POST', url: '/api/v1/contacts', payload: contact, headers: { 'idempotency-key': 'leak-test-1' } })).statusCode).toBe(201);
  // A duplicate (unique e-mail) and an invalid e-mail: both errors must not echo the value.
  expect((await send({ method: 'POST', url: '/api/v1/contacts', payload: contact })).statusCode).toBe(409);
  expect((await send({ method: 'POST', url: '/api/v1/contacts', payload: { ...contact, email: seeded.badEmail } })).statusCode).toBeGreaterThanOrEqual(400);
  const current = await send({ method: 'GET', url: `/api/v1/contacts/${contactId}` });
  const changed = await send({
    method: 'PATCH',
    url: `/api/v1/contacts/${contactId}`,
    payload: { jobTitle: `${seeded.jobTitle} II` },
    headers: { 'if-match': current.headers.etag as string },
  });
  expect(changed.statusCode).toBe(200);
  expect((await send({ method: 'POST', url: '/api/v1/contacts/search', payload: { email: seeded.email } })).statusCode).toBe(200);
  expect((await send({ method: 'POST', url: '/api/v1/contacts/search', payload: { name: seeded.lastName.slice(0, 4) } })).statusCode).toBe(200);
  // Several words and a national phone number: what was typed, found or not, stays out of every record.
  const typed = await send({ method: 'POST', url: '/api/v1/contacts/search', payload: { name: `${seeded.firstName} ${seeded.lastName}` } });
  expect(typed.json().data.map((row: { id: string }) => row.id)).toEqual([contactId]);
  const dialled = await send({ method: 'POST', url: '/api/v1/contacts/search', payload: { phone: '(555) 019-9123' } });
  expect(dialled.json().data.map((row: { id: string }) => row.id)).toEqual([contactId]);
  // Both subjects consented, so their events are stored and the scan below has them to look through.
  await consentingVisitors(t.database, workspace.id, [seeded.anonymousId]);
  await giveConsent(t.database.db, workspace.id, contactId, 'web_analytics');
  const events = [
    { type: 'page_view', occurredAt: new Date().toISOString(), anonymousId: seeded.anonymousId, properties: { url: seeded.pageUrl } },
    { type: 'click', occurredAt: new Date().toISOString(), contactId, properties: { url: seeded.pageUrl } },
  ];
  expect(
    (
      await send({
        method: 'POST',
        url: '/api/v1/events/batch',
        payload: { events },
        headers: { 'idempotency-key': 'leak-test-events' },
        purpose: 'web_analytics',
      })
    ).statusCode,
  ).toBeLessThan(300);
  expect(
    (
      await send({
        method: 'POST',
        url: '/api/v1/events/batch',
        payload: { events: [...events, { type: 'page_view', occurredAt: 'yesterday', anonymousId: seeded.anonymousId }] },
        purpose: 'web_analytics',
      })
    ).statusCode,
  ).toBe(422);
  expect(
    (
      await send({
        method: 'POST',
        url: '/api/v1/activities',
        payload: { type: 'note', subject: seeded.lastName, body: seeded.noteBody, links: { contactIds: [contactId] } },
        headers: { 'idempotency-key': 'leak-test-note' },
      })
    ).statusCode,
  ).toBe(201);
  const csv = `First Name,Last Name,Email,Phone Number\n${seeded.firstName},Other${seeded.lastName},other.${seeded.email},+15550199124\nBad,Row,${seeded.badEmail},\n`;
  const imported = await send({
    method: 'POST',
    url: '/api/v1/imports?object=contact&skipInvalid=true',
    payload: csv,
    headers: { 'content-type': 'text/csv' },
  });
  // A failed login with the person's address: the rate limiter keys its bucket on it.
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { workspace: workspace.slug, email: seeded.email, password: 'not-the-password-at-all' },
  });
  responseBodies.push(login.body);
  expect(login.statusCode).toBe(401);
  expect(imported.statusCode).toBeLessThan(300);
  await eventually(
    async () => receivedBodies.length >= 3 && (await t.database.query(`select 1 from webhook_deliveries where status = 'pending'`)).length === 0,
    { what: 'webhook deliveries', timeoutMs: 30_000 },
  );
});

afterAll(async () => {
  await runner?.stop();
  await t?.close();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('personal values stay in the columns the kernel owns', () => {
  it('are stored where they belong, so the scan below is looking for values that exist', async () => {
    // Sealed at rest since the vault: the stored value is ciphertext, and the API reads it back.
    const contacts = await tableText('select personal from contacts');
    expect(contacts).toContain('"last_name"');
    expect(contacts).not.toContain(seeded.lastName);
    expect(responseBodies.join('\n')).toContain(seeded.lastName);
  });

  it('never appear in the logs', () => {
    expect(t.logs.length).toBeGreaterThan(5);
    expect(findLeaks('logs', t.logs.join('\n'))).toEqual([]);
  });

  it('never appear in idempotency records', async () => {
    const text = await tableText('select * from idempotency_keys');
    expect(text).toContain('leak-test-1');
    expect(findLeaks('idempotency_keys', text)).toEqual([]);
  });

  it('never appear in job payloads', async () => {
    const jobs = await tableText('select name, data, output from pgboss.job union all select name, data, output from pgboss.archive');
    expect(jobs.length).toBeGreaterThan(10);
    expect(findLeaks('pg-boss jobs', jobs)).toEqual([]);
  });

  it('never appear in webhook payloads, sent or stored', async () => {
    expect(receivedBodies.length).toBeGreaterThanOrEqual(3);
    expect(findLeaks('webhook bodies', receivedBodies.join('\n'))).toEqual([]);
    expect(findLeaks('webhook_deliveries', await tableText('select * from webhook_deliveries'))).toEqual([]);
    expect(findLeaks('webhook_attempts', await tableText('select * from webhook_attempts'))).toEqual([]);
  });

  it('never appear in audit entries', async () => {
    const audit = await tableText('select * from audit_entries');
    expect(audit).toContain('contact');
    expect(findLeaks('audit_entries', audit)).toEqual([]);
  });

  it('never appear in import reports or rate-limit keys', async () => {
    const batches = await tableText('select * from import_batches');
    expect(batches).toContain('email');
    expect(findLeaks('import_batches', batches)).toEqual([]);
    expect(findLeaks('rate_limit_buckets', await tableText('select * from rate_limit_buckets'))).toEqual([]);
  });

  it('are not echoed back in error responses', () => {
    const errors = responseBodies.filter((body) => body.includes('"code"') && body.includes('"status"'));
    expect(errors.length).toBeGreaterThanOrEqual(3);
    expect(findLeaks('error responses', errors.join('\n'))).toEqual([]);
  });
});
