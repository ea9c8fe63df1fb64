import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditTrailForSubject,
  liftRestriction,
  recordErasure,
  recordObjection,
  recordRestriction,
  rectifyContact,
  type PurposeContext,
} from '../src/kernel/index.ts';
import { giveConsent } from './support/consentLedger.ts';
import { grantTestDefaults } from './support/contactPolicy.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * Writes follow the subject rules: an erased subject is gone (404); a restricted one takes
 * no change (403 naming the restriction) except a correction made through a rights
 * request; an objection refuses writes under the purpose objected to, and only under it.
 * The same holds for events recorded about a person and for linking a person to a deal,
 * purchase or activity.
 */

let t: TestApp;
let workspace: TestWorkspace;
let rights: PurposeContext;

type Problem = { code: string; errors?: Array<{ field: string; reason: string; index?: number }> };

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  await grantTestDefaults(t, workspace.id);
  rights = { tenantId: workspace.id, actor: { type: 'api_key', id: 'rights-desk', role: 'privacy_officer', createdBy: null }, purpose: 'legal_compliance' };
});
afterAll(() => t.close());

async function contact(email: string): Promise<string> {
  const created = await t.request(workspace.keys.admin, {
    method: 'POST',
    url: '/api/v1/contacts',
    payload: { firstName: 'Writable', email },
    purpose: 'sales',
  });
  expect(created.statusCode).toBe(201);
  return created.json().data.id;
}

const patch = (id: string, payload: Record<string, unknown>, key = workspace.keys.sales, purpose = 'sales') =>
  t.request(key, { method: 'PATCH', url: `/api/v1/contacts/${id}`, headers: { 'if-match': '"1"' }, payload, purpose });

const reasonsOf = (body: Problem) => (body.errors ?? []).map((error) => [error.field, error.reason]);

describe('changing a contact', () => {
  it('of an erased subject answers 404', async () => {
    const id = await contact('erased.one@example.org');
    await recordErasure(t.database.db, rights, id);
    const response = await patch(id, { jobTitle: 'Ghost' });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('not_found');
  });

  it('of a restricted subject is refused with 403 naming the restriction, even for non-personal attributes', async () => {
    const id = await contact('restricted.one@example.org');
    await recordRestriction(t.database.db, rights, id);
    for (const payload of [{ email: 'changed@example.org' }, { lifecycleStage: 'customer' }]) {
      const response = await patch(id, payload);
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe('forbidden');
      expect(reasonsOf(response.json())).toEqual([['id', 'restricted']]);
    }
  });

  it('of a restricted subject is allowed as a rectification through a rights request, audited as one', async () => {
    const id = await contact('wrong.address@example.org');
    await recordRestriction(t.database.db, rights, id);
    const result = await rectifyContact(t.database.db, rights, id, { email: 'right.address@example.org' }, { requestId: 'DSR-2026-0042' });
    expect(result).toEqual({ fields: ['email'] });
    const rectified = (await auditTrailForSubject(t.database.db, workspace.id, { subjectId: id })).find((entry) => entry.action === 'contact.rectified');
    expect(rectified).toMatchObject({ purpose: 'legal_compliance', fields: ['email'], detail: { requestId: 'DSR-2026-0042' } });
    expect(JSON.stringify(rectified)).not.toContain('right.address');
    await liftRestriction(t.database.db, rights, id);
    const read = await t.request(workspace.keys.sales, { method: 'GET', url: `/api/v1/contacts/${id}`, purpose: 'sales' });
    expect(read.json().data.email).toBe('right.address@example.org');
    expect(read.headers.etag).toBe('"2"');
    // A rectification still needs a request reference and never reaches an erased subject.
    await expect(rectifyContact(t.database.db, rights, id, { email: 'x@example.org' }, { requestId: ' ' })).rejects.toMatchObject({
      code: 'validation_failed',
      issues: [{ field: 'requestId' }],
    });
    await recordErasure(t.database.db, rights, id);
    await expect(rectifyContact(t.database.db, rights, id, { email: 'x@example.org' }, { requestId: 'DSR-1' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('under a purpose the subject objected to is refused, and allowed under another purpose', async () => {
    const id = await contact('objecting@example.org');
    await recordObjection(t.database.db, rights, id, { purposeKey: 'sales' });
    const sales = await patch(id, { jobTitle: 'Buyer' });
    expect(sales.statusCode).toBe(403);
    expect(reasonsOf(sales.json())).toEqual([['id', 'objected']]);
    const support = await patch(id, { jobTitle: 'Buyer' }, workspace.keys.support, 'support');
    expect(support.statusCode).toBe(200);
    expect(support.json().data.jobTitle).toBe('Buyer');
  });
});

describe('recording events', () => {
  let erased: string;
  let restricted: string;
  let objecting: string;
  let free: string;

  beforeAll(async () => {
    [erased, restricted, objecting, free] = await Promise.all(
      ['ev.erased', 'ev.restricted', 'ev.objecting', 'ev.free'].map((name) => contact(`${name}@example.org`)),
    );
    await recordErasure(t.database.db, rights, erased);
    await recordRestriction(t.database.db, rights, restricted);
    await recordObjection(t.database.db, rights, objecting, { purposeKey: 'sales' });
    // Consent to web analytics first, so what refuses these events is the subject's rule, not a missing consent.
    for (const subject of [erased, restricted, objecting, free]) await giveConsent(t.database.db, workspace.id, subject, 'web_analytics');
  });

  const post = (contactId: string, purpose: string) =>
    t.request(workspace.keys.admin, {
      method: 'POST',
      url: '/api/v1/events',
      payload: {
        type: 'page_view',
        occurredAt: new Date(Date.now() - 1000).toISOString(),
        contactId,
        properties: purpose === 'web_analytics' ? { url: '/x' } : {},
      },
      purpose,
    });

  it('for an erased, restricted or objected subject is refused with 403 naming the rule, and stores nothing', async () => {
    for (const [contactId, purpose, reason] of [
      [erased, 'web_analytics', 'erased'],
      [restricted, 'web_analytics', 'restricted'],
      [objecting, 'sales', 'objected'],
    ]) {
      const response = await post(contactId, purpose);
      expect({ reason, status: response.statusCode }).toEqual({ reason, status: 403 });
      expect(reasonsOf(response.json())).toEqual([['contactId', reason]]);
    }
    const [row] = await t.database.query<{ count: number }>('select count(*)::int as count from events where tenant_id = $1 and contact_id = any($2::uuid[])', [
      workspace.id,
      [erased, restricted, objecting],
    ]);
    expect(row.count).toBe(0);
    expect((await post(objecting, 'web_analytics')).statusCode).toBe(201);
    expect((await post(free, 'sales')).statusCode).toBe(201);
  });

  it('in a batch refuses the whole batch, naming each refused item', async () => {
    const at = new Date(Date.now() - 1000).toISOString();
    const response = await t.request(workspace.keys.marketing, {
      method: 'POST',
      url: '/api/v1/events/batch',
      purpose: 'web_analytics',
      payload: {
        events: [
          { type: 'click', occurredAt: at, contactId: free },
          { type: 'click', occurredAt: at, contactId: restricted },
          { type: 'click', occurredAt: at, contactId: erased },
        ],
      },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().errors).toEqual([
      { index: 1, field: 'events[1].contactId', reason: 'restricted' },
      { index: 2, field: 'events[2].contactId', reason: 'erased' },
    ]);
  });
});

describe('linking people', () => {
  let restricted: string;
  let free: string;

  beforeAll(async () => {
    [restricted, free] = await Promise.all(['link.restricted', 'link.free'].map((name) => contact(`${name}@example.org`)));
  });

  it('to a deal, a purchase or an activity is refused for a restricted person, naming the field', async () => {
    await recordRestriction(t.database.db, rights, restricted);
    const deal = await t.request(workspace.keys.sales, {
      method: 'POST',
      url: '/api/v1/deals',
      payload: { name: 'Linking', contactIds: [free, restricted] },
      purpose: 'sales',
    });
    expect(deal.statusCode).toBe(403);
    expect(reasonsOf(deal.json())).toEqual([['contactIds.1', 'restricted']]);
    const purchase = await t.request(workspace.keys.sales, {
      method: 'POST',
      url: '/api/v1/purchases',
      purpose: 'sales',
      payload: { orderNumber: 'L-1', currency: 'EUR', lines: [{ name: 'Mug', quantity: 1, unitPriceMinor: 100 }], contactId: restricted },
    });
    expect(purchase.statusCode).toBe(403);
    expect(reasonsOf(purchase.json())).toEqual([['contactId', 'restricted']]);
    const activity = await t.request(workspace.keys.sales, {
      method: 'POST',
      url: '/api/v1/activities',
      payload: { type: 'note', subject: 'x', links: { contactIds: [restricted] } },
      purpose: 'sales',
    });
    expect(activity.statusCode).toBe(403);
    expect(reasonsOf(activity.json())).toEqual([['links.contactIds.0', 'restricted']]);
    await liftRestriction(t.database.db, rights, restricted);
  });

  it("keeps a link the caller cannot see when it replaces a record's people, and refuses to change a hidden person's text", async () => {
    const deal = (
      await t.request(workspace.keys.sales, {
        method: 'POST',
        url: '/api/v1/deals',
        payload: { name: 'Kept links', contactIds: [free, restricted] },
        purpose: 'sales',
      })
    ).json().data;
    const note = (
      await t.request(workspace.keys.sales, {
        method: 'POST',
        url: '/api/v1/activities',
        payload: { type: 'note', subject: 'About them', links: { contactIds: [restricted] } },
        purpose: 'sales',
      })
    ).json().data;
    await recordRestriction(t.database.db, rights, restricted);
    // The client sees only `free` and sends the list back unchanged: the hidden link stays.
    const changed = await t.request(workspace.keys.sales, {
      method: 'PATCH',
      url: `/api/v1/deals/${deal.id}`,
      headers: { 'if-match': '"1"' },
      payload: { name: 'Renamed', contactIds: [free] },
      purpose: 'sales',
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().data.contactIds).toEqual([free]);
    const [row] = await t.database.query<{ count: number }>('select count(*)::int as count from deal_contacts where tenant_id = $1 and deal_id = $2', [
      workspace.id,
      deal.id,
    ]);
    expect(row.count).toBe(2);
    const edit = await t.request(workspace.keys.sales, {
      method: 'PATCH',
      url: `/api/v1/activities/${note.id}`,
      headers: { 'if-match': '"1"' },
      payload: { body: 'More about them' },
      purpose: 'sales',
    });
    expect(edit.statusCode).toBe(403);
    expect(reasonsOf(edit.json())).toEqual([['links.contactIds', 'restricted']]);
  });
});
