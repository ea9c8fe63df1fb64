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

const session = (email: string): Promise<PortalTestSession> => signedIn(t, workspace.slug, email);

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
