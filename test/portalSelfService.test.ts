import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordErasure, systemContext } from '../src/kernel/index.ts';
import { defineAccessCustomField, seedAccessSubject, type SeededSubject } from './support/accessSubjects.ts';
import { portalRequest, signedIn, type PortalTestSession } from './support/portalSessions.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * What a person signed in to the customer privacy portal sees and does, over two look-alike
 * people (the same name, addresses one character apart): everything held on them and
 * nothing of the other; their consents, requests and copies of their data.
 */

let t: TestApp;
let workspace: TestWorkspace;
let jane: SeededSubject;
let janeToo: SeededSubject;
beforeAll(async () => {
  t = await createTestApp({ config: { publicUrl: 'https://crm.example.org' } });
  workspace = await t.createWorkspace();
  await defineAccessCustomField(t, workspace);
  jane = await seedAccessSubject(t, workspace, 'jane.portal');
  janeToo = await seedAccessSubject(t, workspace, 'jane.portal1');
});
afterAll(() => t?.close());

// One session per address: sign-ins are limited to 5 per address an hour.
const sessions = new Map<string, Promise<PortalTestSession>>();
const session = (email: string): Promise<PortalTestSession> => {
  if (!sessions.has(email)) sessions.set(email, signedIn(t, workspace.slug, email));
  return sessions.get(email)!;
};

describe('the data page', () => {
  it("shows every seeded record of the person and nothing of the look-alike's", async () => {
    for (const [subject, other] of [
      [jane, janeToo],
      [janeToo, jane],
    ] as const) {
      const response = await portalRequest(t, await session(subject.email), { path: '/me/data' });
      expect(response.statusCode, response.body).toBe(200);
      const data = response.json().data;
      expect(data.known).toBe(true);
      expect(data.fields.find((field: { field: string }) => field.field === 'email')).toMatchObject({ label: 'E-mail', value: subject.email });
      expect(data.records.deals.map((deal: { id: string }) => deal.id)).toEqual([subject.dealId]);
      expect(data.records.purchases.map((purchase: { id: string }) => purchase.id)).toEqual([subject.purchaseId]);
      expect(data.records.activities).toMatchObject([{ id: subject.noteId, subject: `Note ${subject.marker}` }]);
      expect(data.records.events).toHaveLength(1);
      expect(data.consents.map((consent: { purposeKey: string }) => consent.purposeKey)).toEqual(['email_marketing', 'web_analytics']);
      expect(data.consents.every((consent: { receipt: string; live: boolean }) => consent.receipt.split('.').length === 3 && consent.live)).toBe(true);
      expect(data.consentHistory.length).toBeGreaterThanOrEqual(2);
      expect(data.trail.some((entry: { action: string; purpose: string }) => entry.action === 'deal.read' && entry.purpose === 'sales')).toBe(true);
      expect(data.purposes.find((purpose: { key: string }) => purpose.key === 'email_marketing')).toMatchObject({
        legalBasis: 'consent',
        notice: { version: 1 },
      });
      const text = response.body;
      expect(text.split(subject.marker).length - 1).toBeGreaterThanOrEqual(6);
      for (const foreign of [other.marker, other.contactId, other.dealId, other.purchaseId, other.noteId, other.email]) expect(text).not.toContain(foreign);
    }
  });

  it('is audited as a subject access by the person through the portal', async () => {
    await portalRequest(t, await session(jane.email), { path: '/me/data' });
    const audit = await t.request(workspace.keys.admin, { method: 'GET', url: '/api/v1/audit?action=subject.access_read&limit=5' });
    expect(audit.statusCode, audit.body).toBe(200);
    expect(audit.json().data.at(0) ?? audit.json().data.at(-1)).toMatchObject({ purpose: 'dsr_fulfilment' });
    expect(audit.body).not.toContain(jane.email);
  });

  it('lists the purposes and nothing else for an address nobody holds', async () => {
    const response = await portalRequest(t, await session('nobody.here@lookalike.example'), { path: '/me/data' });
    expect(response.statusCode, response.body).toBe(200);
    const data = response.json().data;
    expect(data).toMatchObject({ known: false, fields: [], consents: [], consentHistory: [], trail: [] });
    expect(data.records).toEqual({ deals: [], purchases: [], activities: [], events: [], visitors: [] });
    expect(data.purposes.map((purpose: { key: string }) => purpose.key)).toContain('email_marketing');
  });

  it("reads nothing of an erased person: the session's address is nobody's any more", async () => {
    const erased = await seedAccessSubject(t, workspace, 'erased.portal');
    const held = await session(erased.email);
    expect((await portalRequest(t, held, { path: '/me' })).json().data.known).toBe(true);
    await recordErasure(t.database.db, systemContext(workspace.id, 'portal-test', 'sales'), erased.contactId);
    const me = await portalRequest(t, held, { path: '/me' });
    expect(me.json().data.known).toBe(false);
    const data = await portalRequest(t, held, { path: '/me/data' });
    expect(data.json().data).toMatchObject({ known: false, fields: [], trail: [] });
    expect(data.body).not.toContain(erased.marker);
  });
});

/** Whether a kernel read under e-mail marketing (consent-based) reaches the person's values (without live consent they are withheld). */
async function reachedForEmailMarketing(subject: SeededSubject): Promise<boolean> {
  const response = await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/contacts/${subject.contactId}`, purpose: 'email_marketing' });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().data.email === subject.email;
}

describe('consent choices', () => {
  it('withdraws e-mail marketing: the next kernel read for it leaves the person out; given again, it is live at once', async () => {
    const hook = await t.request(workspace.keys.admin, {
      method: 'POST',
      url: '/api/v1/webhooks',
      payload: { url: 'https://hooks.example.org/portal', eventTypes: ['consent.given', 'consent.renewed', 'consent.withdrawn'] },
    });
    expect(hook.statusCode, hook.body).toBe(201);
    const held = await session(jane.email);
    expect(await reachedForEmailMarketing(jane)).toBe(true);
    const withdrawn = await portalRequest(t, held, { method: 'PUT', path: '/me/consents/email_marketing', payload: { choice: 'withdrawn' } });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json().data).toMatchObject({ purposeKey: 'email_marketing', state: 'withdrawn' });
    expect(withdrawn.json().data.receipt.split('.')).toHaveLength(3);
    expect(await reachedForEmailMarketing(jane)).toBe(false);
    expect(await reachedForEmailMarketing(janeToo)).toBe(true);

    const given = await portalRequest(t, held, { method: 'PUT', path: '/me/consents/email_marketing', payload: { choice: 'given' } });
    expect(given.statusCode, given.body).toBe(200);
    expect(['given', 'renewed']).toContain(given.json().data.state);
    expect(await reachedForEmailMarketing(jane)).toBe(true);

    const ledger = await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/contacts/${jane.contactId}/consents`, purpose: 'email_marketing' });
    const events = ledger.json().data.filter((event: { channel: string }) => event.channel === 'portal');
    expect(events.map((event: { state: string }) => event.state)).toEqual(['withdrawn', given.json().data.state]);
    expect(events[0].actor).toBe('system:data-subject-portal');
    expect(Object.keys(events[0].evidence).sort()).toEqual(['ipHash', 'userAgentHash']);
    const deliveries = await t.database.query<{ event_type: string; payload: { data: { id: string; relatedIds: string[] } } }>(
      'select event_type, payload from webhook_deliveries where tenant_id = $1 order by created_at',
      [workspace.id],
    );
    expect(deliveries.map((delivery) => [delivery.event_type, delivery.payload.data.id, delivery.payload.data.relatedIds])).toEqual([
      ['consent.withdrawn', events[0].id, [jane.contactId]],
      [`consent.${given.json().data.state}`, events[1].id, [jane.contactId]],
    ]);
    const data = (await portalRequest(t, held, { path: '/me/data' })).json().data;
    expect(data.consents.find((consent: { purposeKey: string }) => consent.purposeKey === 'email_marketing')).toMatchObject({ live: true, channel: 'portal' });
  });

  it('refuses a purpose not based on consent, pointing to an objection, and an address nobody holds', async () => {
    const sales = await portalRequest(t, await session(jane.email), { method: 'PUT', path: '/me/consents/sales', payload: { choice: 'withdrawn' } });
    expect(sales.statusCode).toBe(422);
    expect(sales.json().errors).toEqual([{ field: 'purposeKey', reason: expect.stringContaining('objection') }]);
    const nobody = await portalRequest(t, await session('nobody.consents@lookalike.example'), {
      method: 'PUT',
      path: '/me/consents/email_marketing',
      payload: { choice: 'given' },
    });
    expect(nobody.statusCode).toBe(409);
    expect(nobody.json().errors).toEqual([{ field: 'purposeKey', reason: 'no record is held for the signed-in address' }]);
  });

  it('needs the CSRF token', async () => {
    const held = await session(jane.email);
    const refused = await portalRequest(t, held, { method: 'PUT', path: '/me/consents/email_marketing', payload: { choice: 'withdrawn' }, csrf: false });
    expect(refused.statusCode).toBe(403);
    expect(await reachedForEmailMarketing(jane)).toBe(true);
  });
});

describe('rights requests', () => {
  it('receives a request verified at once, with its due date, in the staff queue and in the person’s list', async () => {
    const held = await session(janeToo.email);
    const submitted = await portalRequest(t, held, { method: 'POST', path: '/me/requests', payload: { kind: 'erasure', details: 'Please forget me' } });
    expect(submitted.statusCode, submitted.body).toBe(201);
    const { id, dueAt } = submitted.json().data;
    expect(submitted.json().data).toEqual({ id, kind: 'erasure', state: 'verified', dueAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });

    const queue = await t.request(workspace.keys.admin, { method: 'GET', url: '/api/v1/requests?state=verified', purpose: 'legal_compliance' });
    expect(queue.statusCode, queue.body).toBe(200);
    expect(queue.json().data.find((request: { id: string }) => request.id === id)).toMatchObject({
      kind: 'erasure',
      state: 'verified',
      channel: 'portal',
      dueOn: dueAt,
      contactId: janeToo.contactId,
    });

    const mine = await portalRequest(t, held, { path: '/me/requests' });
    expect(mine.json().data[0]).toMatchObject({ id, kind: 'erasure', state: 'verified', regime: 'gdpr', dueAt, closedAt: null, reason: null });
    const theirs = await portalRequest(t, await session(jane.email), { path: '/me/requests' });
    expect(theirs.json().data.map((request: { id: string }) => request.id)).not.toContain(id);
  });

  it('lists the requests of an address nobody holds by that address only', async () => {
    const held = await session('nobody.requests@lookalike.example');
    const submitted = await portalRequest(t, held, { method: 'POST', path: '/me/requests', payload: { kind: 'access' } });
    expect(submitted.statusCode, submitted.body).toBe(201);
    expect((await portalRequest(t, held, { path: '/me/requests' })).json().data.map((request: { id: string }) => request.id)).toEqual([
      submitted.json().data.id,
    ]);
    const other = await session('nobody.else@lookalike.example');
    expect((await portalRequest(t, other, { path: '/me/requests' })).json().data).toEqual([]);
  });

  it("lists a request made at the desk with the person's address written otherwise, and not another address's, opening no one's identity", async () => {
    const desk = (email: string) =>
      t.request(workspace.keys.privacy_officer, {
        method: 'POST',
        url: '/api/v1/requests',
        purpose: 'legal_compliance',
        payload: { kind: 'access', regime: 'gdpr', email },
      });
    const theirs = await desk(' Unmatched.Owner@LOOKALIKE.example ');
    expect(theirs.statusCode, theirs.body).toBe(201);
    const strangers = await desk('unmatched.stranger@lookalike.example');
    expect(strangers.statusCode, strangers.body).toBe(201);
    const openedBefore = await auditCount('rights_request.identity_opened');

    const listed = await portalRequest(t, await session('unmatched.owner@lookalike.example'), { path: '/me/requests' });
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().data.map((request: { id: string }) => request.id)).toEqual([theirs.json().data.id]);
    expect(await auditCount('rights_request.identity_opened')).toBe(openedBefore);
  });

  it("forgets the address's index with the identity when the person is erased: their request is no longer found by it", async () => {
    const erased = await seedAccessSubject(t, workspace, 'erased.requests');
    const held = await session(erased.email);
    const submitted = await portalRequest(t, held, { method: 'POST', path: '/me/requests', payload: { kind: 'access' } });
    expect(submitted.statusCode, submitted.body).toBe(201);
    const { id } = submitted.json().data;
    expect(await emailIndexOf(id)).toEqual(expect.any(String));
    const erasure = await t.request(workspace.keys.admin, { method: 'DELETE', url: `/api/v1/contacts/${erased.contactId}` });
    expect(erasure.statusCode, erasure.body).toBe(204);
    expect(await emailIndexOf(id)).toBeNull();
    expect((await portalRequest(t, held, { path: '/me/requests' })).json().data).toEqual([]);
  });
});

async function auditCount(action: string): Promise<number> {
  const [row] = await t.database.query<{ count: number }>('select count(*)::int as count from audit_entries where tenant_id = $1 and action = $2', [
    workspace.id,
    action,
  ]);
  return row.count;
}

async function emailIndexOf(requestId: string): Promise<string | null> {
  const [row] = await t.database.query<{ requester_email_index: string | null }>(
    'select requester_email_index from rights_requests where tenant_id = $1 and id = $2',
    [workspace.id, requestId],
  );
  return row.requester_email_index;
}

describe('copies of the data', () => {
  it('makes a copy that becomes ready, and a link that downloads it once', async () => {
    const held = await session(jane.email);
    const requested = await portalRequest(t, held, { method: 'POST', path: '/me/access-exports', payload: { format: 'json' } });
    expect(requested.statusCode, requested.body).toBe(202);
    const { id } = requested.json().data;
    const listed = await portalRequest(t, held, { path: '/me/access-exports' });
    expect(listed.json().data[0]).toMatchObject({ id, format: 'json', status: 'ready', progress: 100 });
    expect((await portalRequest(t, await session(janeToo.email), { path: '/me/access-exports' })).json().data).toEqual([]);

    const link = await portalRequest(t, held, { method: 'POST', path: `/me/access-exports/${id}/download-links` });
    expect(link.statusCode, link.body).toBe(201);
    const url = new URL(link.json().data.url);
    expect(url.origin).toBe('https://crm.example.org');
    const first = await t.app.inject({ method: 'GET', url: url.pathname });
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain(jane.marker);
    expect(first.body).not.toContain(janeToo.marker);
    expect((await t.app.inject({ method: 'GET', url: url.pathname })).statusCode).toBe(404);
  });

  it('limits the copies a person asks for to 3 an hour', async () => {
    const held = await session('not.limited@lookalike.example');
    const limited = await seedAccessSubject(t, workspace, 'limited.copies');
    const mine = await signedIn(t, workspace.slug, limited.email);
    const statuses = [];
    for (let attempt = 0; attempt < 4; attempt += 1) {
      statuses.push((await portalRequest(t, mine, { method: 'POST', path: '/me/access-exports', payload: { format: 'csv' } })).statusCode);
    }
    expect(statuses).toEqual([202, 202, 202, 429]);
    // Another address is not held back by it.
    expect((await portalRequest(t, held, { method: 'POST', path: '/me/access-exports', payload: { format: 'csv' } })).statusCode).toBe(409);
  });

  it("links none of another person's copies, and refuses an address nobody holds", async () => {
    const mine = await portalRequest(t, await session(janeToo.email), { method: 'POST', path: '/me/access-exports', payload: { format: 'html' } });
    expect(mine.statusCode, mine.body).toBe(202);
    const stolen = await portalRequest(t, await session(jane.email), { method: 'POST', path: `/me/access-exports/${mine.json().data.id}/download-links` });
    expect(stolen.statusCode).toBe(404);
    const nobody = await portalRequest(t, await session('nobody.exports@lookalike.example'), {
      method: 'POST',
      path: '/me/access-exports',
      payload: { format: 'json' },
    });
    expect(nobody.statusCode).toBe(409);
  });
});
