import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/db/ids.ts';
import { systemContext } from '../src/kernel/accessContext.ts';
import { recordChange, type Change } from '../src/platform/changes.ts';
import { verifyWebhookSignature } from '../src/webhooks/signature.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';
import { eventually, startTestJobRunner, type TestJobRunner } from './support/jobs.ts';

// Receivers in these tests listen on 127.0.0.1, which production refuses.
process.env.CANDOR_WEBHOOK_ALLOW_PRIVATE_NETWORKS = '1';

type Received = { path: string; headers: IncomingHttpHeaders; body: string; signatureValid: boolean };

let t: TestApp;
let workspace: TestWorkspace;
let other: TestWorkspace;
let runner: TestJobRunner;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
const secretsByPath = new Map<string, string>();
const attemptsByDelivery = new Map<string, number>();
const maxAttempts = 4;
const retryBaseMs = 20;

/** /flaky answers 500 twice per delivery, then 200; /down always 500; anything else 200. */
function startReceiver(): Promise<void> {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = request.url ?? '/';
      const secret = secretsByPath.get(path) ?? '';
      // Verifies the signature and that the timestamp is within 5 minutes of now.
      received.push({
        path,
        headers: request.headers,
        body,
        signatureValid: verifyWebhookSignature(secret, request.headers['candor-signature'] as string, body),
      });
      const deliveryId = String(request.headers['candor-webhook-id']);
      const attempt = (attemptsByDelivery.get(deliveryId) ?? 0) + 1;
      attemptsByDelivery.set(deliveryId, attempt);
      const status = path.startsWith('/down') ? 500 : path.startsWith('/flaky') && attempt <= 2 ? 500 : 200;
      response.writeHead(status).end();
    });
  });
  return new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
}

beforeAll(async () => {
  await startReceiver();
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  t = await createTestApp();
  workspace = await t.createWorkspace();
  other = await t.createWorkspace();
  runner = await startTestJobRunner(t.database, { webhooks: { maxAttempts, retryBaseMs } });
});
afterAll(async () => {
  await runner?.stop();
  await t?.close();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

async function subscribe(path: string, eventTypes: string[], key = workspace.keys.admin) {
  const response = await t.request(key, { method: 'POST', url: '/api/v1/webhooks', payload: { url: `${receiverUrl}${path}`, eventTypes } });
  expect(response.statusCode).toBe(201);
  const { id, secret } = response.json().data as { id: string; secret: string };
  secretsByPath.set(path, secret);
  return { id, secret };
}

async function recordCommittedChange(change: Change, tenantId = workspace.id) {
  await t.database.db.transaction((tx) => recordChange(tx, systemContext(tenantId, 'webhook-test'), change));
}

type LoggedDelivery = {
  id: string;
  eventType: string;
  status: string;
  attemptCount: number;
  payload: { data: { id: string } };
  attempts: Array<{ number: number; statusCode: number | null; error: string | null; durationMs: number; attemptedAt: string }>;
};

async function deliveryLog(subscriptionId: string): Promise<LoggedDelivery[]> {
  const response = await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/webhooks/${subscriptionId}/deliveries` });
  expect(response.statusCode).toBe(200);
  return response.json().data;
}

async function settledDelivery(subscriptionId: string, recordId: string): Promise<LoggedDelivery> {
  return eventually(
    async () => (await deliveryLog(subscriptionId)).find((delivery) => delivery.payload.data.id === recordId && delivery.status !== 'pending'),
    { what: 'the delivery to settle' },
  );
}

describe('webhook deliveries', () => {
  it('retry a failing receiver with backoff, and the log shows two failed attempts and one delivered', async () => {
    const { id: subscriptionId } = await subscribe('/flaky', ['contact.created']);
    const contactId = newId();
    await recordCommittedChange({ object: 'contact', recordId: contactId, kind: 'created', fields: ['firstName', 'email'] });

    const delivery = await settledDelivery(subscriptionId, contactId);
    expect(delivery.status).toBe('delivered');
    expect(delivery.attemptCount).toBe(3);
    expect(delivery.attempts.map(({ number, statusCode }) => ({ number, statusCode }))).toEqual([
      { number: 1, statusCode: 500 },
      { number: 2, statusCode: 500 },
      { number: 3, statusCode: 200 },
    ]);
    // Each retry waits at least the doubled base delay (20 ms, then 40 ms) after the attempt before.
    const times = delivery.attempts.map((attempt) => Date.parse(attempt.attemptedAt));
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(retryBaseMs);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(2 * retryBaseMs);

    const requests = received.filter((request) => request.headers['candor-webhook-id'] === delivery.id);
    expect(requests).toHaveLength(3);
    for (const request of requests) {
      expect(request.signatureValid).toBe(true);
      expect(request.headers['candor-event-type']).toBe('contact.created');
    }
  });

  it('send thin payloads: ids, event type and changed field names only', async () => {
    const { id: subscriptionId } = await subscribe('/thin', ['deal.updated']);
    const dealId = newId();
    const relatedId = newId();
    await recordCommittedChange({ object: 'deal', recordId: dealId, kind: 'updated', fields: ['stageId', 'amount'], relatedIds: [relatedId] });
    const delivery = await settledDelivery(subscriptionId, dealId);
    const request = received.find((candidate) => candidate.headers['candor-webhook-id'] === delivery.id);
    expect(JSON.parse(request?.body ?? '{}')).toEqual({
      id: delivery.id,
      type: 'deal.updated',
      occurredAt: expect.any(String),
      workspaceId: workspace.id,
      data: { object: 'deal', id: dealId, changedFields: ['stageId', 'amount'], relatedIds: [relatedId] },
    });
  });

  it('send nothing for a change whose transaction rolls back', async () => {
    const { id: subscriptionId } = await subscribe('/rollback', ['company.deleted']);
    const rolledBack = newId();
    const committed = newId();
    await expect(
      t.database.db.transaction(async (tx) => {
        await recordChange(tx, systemContext(workspace.id, 'webhook-test'), { object: 'company', recordId: rolledBack, kind: 'deleted' });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await recordCommittedChange({ object: 'company', recordId: committed, kind: 'deleted' });
    await settledDelivery(subscriptionId, committed);
    expect((await deliveryLog(subscriptionId)).map((delivery) => delivery.payload.data.id)).toEqual([committed]);
    expect(received.some((request) => request.body.includes(rolledBack))).toBe(false);
  });

  it('mark a delivery failed after the last attempt', async () => {
    const { id: subscriptionId } = await subscribe('/down', ['purchase.created']);
    const purchaseId = newId();
    await recordCommittedChange({ object: 'purchase', recordId: purchaseId, kind: 'created' });
    const delivery = await settledDelivery(subscriptionId, purchaseId);
    expect(delivery.status).toBe('failed');
    expect(delivery.attempts.map((attempt) => attempt.statusCode)).toEqual(Array(maxAttempts).fill(500));
  });

  it('reach only active subscriptions to the event type, in the same workspace', async () => {
    const wildcard = await subscribe('/wildcard', ['*']);
    const paused = await subscribe('/paused', ['*']);
    const elsewhere = await subscribe('/elsewhere', ['*'], other.keys.admin);
    const patch = await t.request(workspace.keys.admin, {
      method: 'PATCH',
      url: `/api/v1/webhooks/${paused.id}`,
      payload: { active: false },
      headers: { 'if-match': '"1"' },
    });
    expect(patch.statusCode).toBe(200);
    const activityId = newId();
    await recordCommittedChange({ object: 'activity', recordId: activityId, kind: 'merged' });
    expect((await settledDelivery(wildcard.id, activityId)).status).toBe('delivered');
    expect(await deliveryLog(paused.id)).toEqual([]);
    const elsewhereLog = await t.request(other.keys.admin, { method: 'GET', url: `/api/v1/webhooks/${elsewhere.id}/deliveries` });
    expect(elsewhereLog.json().data).toEqual([]);
  });

  it('send a signed ping on request', async () => {
    const { id: subscriptionId } = await subscribe('/ping', ['contact.deleted']);
    const response = await t.request(workspace.keys.admin, { method: 'POST', url: `/api/v1/webhooks/${subscriptionId}/test` });
    expect(response.statusCode).toBe(202);
    const { deliveryId } = response.json().data as { deliveryId: string };
    const delivery = await eventually(
      async () => (await deliveryLog(subscriptionId)).find((entry) => entry.id === deliveryId && entry.status === 'delivered'),
      { what: 'the ping' },
    );
    expect(delivery.eventType).toBe('webhook.ping');
    const request = received.find((candidate) => candidate.headers['candor-webhook-id'] === deliveryId);
    expect(request?.signatureValid).toBe(true);
    expect(request?.headers['candor-event-type']).toBe('webhook.ping');
  });

  it('are queued again when a runner starts and finds a pending delivery without a job', async () => {
    await runner.stop();
    const { id: subscriptionId } = await subscribe('/recovered', ['pipeline.created']);
    const pipelineId = newId();
    await recordCommittedChange({ object: 'pipeline', recordId: pipelineId, kind: 'created' });
    // As if the delivery had been written before the queue existed.
    await t.database.query(`delete from pgboss.job where name = 'webhook-delivery' and data->>'tenantId' = $1`, [workspace.id]);
    runner = await startTestJobRunner(t.database, { webhooks: { maxAttempts, retryBaseMs } });
    expect((await settledDelivery(subscriptionId, pipelineId)).status).toBe('delivered');
  });
});

describe('webhooks for contacts created and changed through the API', () => {
  it("carry none of the contact's values, in the request, the delivery log or the job table", async () => {
    const { id: subscriptionId } = await subscribe('/contacts', ['contact.created', 'contact.updated']);
    const values = {
      firstName: 'Ottilie',
      lastName: 'Quennell-Varga',
      email: 'ottilie.qv@example.org',
      phone: '+44 20 7946 0123',
      jobTitle: 'Head of Lighthouses',
      city: 'Aberystwyth',
      country: 'Wales',
    };
    const created = await t.request(workspace.keys.sales, { method: 'POST', url: '/api/v1/contacts', payload: values });
    expect(created.statusCode).toBe(201);
    const contactId = created.json().data.id as string;
    const patched = await t.request(workspace.keys.sales, {
      method: 'PATCH',
      url: `/api/v1/contacts/${contactId}`,
      payload: { jobTitle: 'Keeper of Lighthouses' },
      headers: { 'if-match': created.headers.etag as string },
    });
    expect(patched.statusCode).toBe(200);

    const settled = await eventually(
      async () => {
        const log = (await deliveryLog(subscriptionId)).filter((delivery) => delivery.payload.data.id === contactId);
        return log.length === 2 && log.every((delivery) => delivery.status === 'delivered') && log;
      },
      { what: 'both contact deliveries' },
    );
    expect(settled.map((delivery) => delivery.eventType).sort()).toEqual(['contact.created', 'contact.updated']);
    const bodies = received.filter((request) => request.path === '/contacts').map((request) => request.body);
    const updated = bodies.map((body) => JSON.parse(body)).find((body) => body.type === 'contact.updated');
    expect(updated.data.changedFields).toContain('jobTitle');

    const stored = [
      ...bodies,
      JSON.stringify(await t.database.query(`select payload from webhook_deliveries where subscription_id = $1`, [subscriptionId])),
      JSON.stringify(
        await t.database.query(
          `select data from pgboss.job where data->>'tenantId' = $1 union all select data from pgboss.archive where data->>'tenantId' = $1`,
          [workspace.id],
        ),
      ),
    ]
      .join('\n')
      .toLowerCase();
    // Whole values and name fragments (no digit-only fragments: they can occur in ids by chance).
    for (const value of [...Object.values(values), 'Keeper of Lighthouses', 'ottilie', 'quennell', 'lighthouses']) {
      expect(stored).not.toContain(value.toLowerCase());
    }
  });
});

describe('webhook signatures as receivers check them', () => {
  it('fail for a tampered body or a stale timestamp', async () => {
    const { id: subscriptionId, secret } = await subscribe('/verify', ['contact.updated']);
    const contactId = newId();
    await recordCommittedChange({ object: 'contact', recordId: contactId, kind: 'updated', fields: ['email'] });
    const delivery = await settledDelivery(subscriptionId, contactId);
    const request = received.find((candidate) => candidate.headers['candor-webhook-id'] === delivery.id);
    const header = String(request?.headers['candor-signature']);
    const body = request?.body ?? '';
    expect(verifyWebhookSignature(secret, header, body)).toBe(true);
    expect(verifyWebhookSignature(secret, header, body.replace('contact.updated', 'contact.deleted'))).toBe(false);
    expect(verifyWebhookSignature(secret, header, `${body} `)).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, 300, new Date(Date.now() + 10 * 60_000))).toBe(false);
  });
});

describe('the webhooks API', () => {
  it('is documented in the OpenAPI document', async () => {
    const paths = Object.keys((await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json().paths);
    expect(paths).toEqual(
      expect.arrayContaining(['/api/v1/webhooks', '/api/v1/webhooks/{id}', '/api/v1/webhooks/{id}/deliveries', '/api/v1/webhooks/{id}/test']),
    );
  });

  it('shows the whsec_ secret once, on create only', async () => {
    const created = await t.request(workspace.keys.admin, {
      method: 'POST',
      url: '/api/v1/webhooks',
      payload: { url: 'https://hooks.example.com/candor', eventTypes: ['deal.updated'] },
      headers: { 'idempotency-key': `create-${newId()}` },
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    const { id, secret } = created.json().data;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const read = await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/webhooks/${id}` });
    expect(read.statusCode).toBe(200);
    expect(read.json().data).not.toHaveProperty('secret');
    expect(read.body).not.toContain(secret);
    const list = await t.request(workspace.keys.admin, { method: 'GET', url: '/api/v1/webhooks' });
    expect(list.json().data.map((row: { id: string }) => row.id)).toContain(id);
    expect(list.body).not.toContain('whsec_');
  });

  it('replays an idempotent create without creating a second webhook or repeating the secret', async () => {
    const request = {
      method: 'POST' as const,
      url: '/api/v1/webhooks',
      payload: { url: 'https://hooks.example.com/replayed', eventTypes: ['*'] },
      headers: { 'idempotency-key': `replay-${newId()}` },
    };
    const first = await t.request(workspace.keys.admin, request);
    const second = await t.request(workspace.keys.admin, request);
    expect(second.statusCode).toBe(201);
    expect(second.json().data.id).toBe(first.json().data.id);
    expect(second.json().data).not.toHaveProperty('secret');
  });

  it('updates with If-Match only, refusing a stale version', async () => {
    const { id } = await subscribe('/updated', ['contact.created']);
    const url = `/api/v1/webhooks/${id}`;
    expect((await t.request(workspace.keys.admin, { method: 'PATCH', url, payload: { active: false } })).statusCode).toBe(428);
    const updated = await t.request(workspace.keys.admin, {
      method: 'PATCH',
      url,
      payload: { eventTypes: ['contact.created', 'contact.updated'] },
      headers: { 'if-match': '"1"' },
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.headers.etag).toBe('"2"');
    expect(updated.json().data.eventTypes).toEqual(['contact.created', 'contact.updated']);
    const stale = await t.request(workspace.keys.admin, { method: 'PATCH', url, payload: { active: false }, headers: { 'if-match': '"1"' } });
    expect(stale.statusCode).toBe(412);
  });

  it('deletes a webhook with its delivery log', async () => {
    const { id } = await subscribe('/deleted', ['contact.created']);
    expect((await t.request(workspace.keys.admin, { method: 'DELETE', url: `/api/v1/webhooks/${id}` })).statusCode).toBe(204);
    expect((await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/webhooks/${id}` })).statusCode).toBe(404);
    expect((await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/webhooks/${id}/deliveries` })).statusCode).toBe(404);
  });

  it.each([
    ['a non-http URL', { url: 'ftp://hooks.example.com/x', eventTypes: ['*'] }, 'url'],
    ['a URL with credentials', { url: 'https://user:pw@hooks.example.com/x', eventTypes: ['*'] }, 'url'],
    ['an unknown event kind', { url: 'https://hooks.example.com/x', eventTypes: ['contact.viewed'] }, 'eventTypes.0'],
    ['no event types', { url: 'https://hooks.example.com/x', eventTypes: [] }, 'eventTypes'],
  ])('refuses %s, naming the field', async (_case, payload, field) => {
    const response = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/webhooks', payload });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors.map((issue: { field: string }) => issue.field)).toContain(field);
  });

  it('lets only admins manage webhooks, and privacy officers read them', async () => {
    const { id } = await subscribe('/roles', ['contact.created']);
    const payload = { url: 'https://hooks.example.com/x', eventTypes: ['*'] };
    expect((await t.request(workspace.keys.sales, { method: 'POST', url: '/api/v1/webhooks', payload })).statusCode).toBe(403);
    expect((await t.request(workspace.keys.privacy_officer, { method: 'POST', url: '/api/v1/webhooks', payload })).statusCode).toBe(403);
    expect((await t.request(workspace.keys.sales, { method: 'GET', url: `/api/v1/webhooks/${id}/deliveries` })).statusCode).toBe(403);
    expect((await t.request(workspace.keys.privacy_officer, { method: 'GET', url: `/api/v1/webhooks/${id}/deliveries` })).statusCode).toBe(200);
    expect((await t.request(workspace.keys.support, { method: 'POST', url: `/api/v1/webhooks/${id}/test` })).statusCode).toBe(403);
  });

  it("answers 404 for another workspace's webhook and 422 for a malformed id", async () => {
    const { id } = await subscribe('/private', ['contact.created']);
    for (const url of [`/api/v1/webhooks/${id}`, `/api/v1/webhooks/${id}/deliveries`]) {
      expect((await t.request(other.keys.admin, { method: 'GET', url })).statusCode).toBe(404);
    }
    expect((await t.request(other.keys.admin, { method: 'POST', url: `/api/v1/webhooks/${id}/test` })).statusCode).toBe(404);
    expect((await t.request(other.keys.admin, { method: 'DELETE', url: `/api/v1/webhooks/${id}` })).statusCode).toBe(404);
    expect((await t.request(workspace.keys.admin, { method: 'GET', url: '/api/v1/webhooks/not-a-uuid' })).statusCode).toBe(422);
  });
});
