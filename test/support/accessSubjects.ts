import { expect } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { TestApp, TestWorkspace } from './testApp.ts';

/*
 * Two look-alike data subjects for the access-export tests: the same name, e-mail addresses
 * one character apart, each with a unique marker in every record Candor holds on them — a
 * custom field, a deal, a purchase, a note linked only to them, events, a consent — and a
 * staff member's reads of their deal, purchase and note under the sales purpose, so their
 * trail has those reads to show.
 */

export type SeededSubject = {
  contactId: string;
  /** Appears in exactly this subject's records and nowhere in the other's. */
  marker: string;
  email: string;
  dealId: string;
  purchaseId: string;
  noteId: string;
  orderNumber: string;
};

async function created(t: TestApp, key: string, url: string, payload: Record<string, unknown>, purpose: string): Promise<{ id: string }> {
  const response = await t.request(key, { method: 'POST', url, payload, purpose });
  expect(response.statusCode, `${url}: ${response.body}`).toBeLessThan(300);
  return response.json().data;
}

async function read(t: TestApp, key: string, url: string, purpose: string): Promise<void> {
  const response = await t.request(key, { method: 'GET', url, purpose });
  expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
}

/** Defines the custom field the subjects carry (once per workspace). */
export async function defineAccessCustomField(t: TestApp, workspace: TestWorkspace): Promise<void> {
  await created(
    t,
    workspace.keys.admin,
    '/api/v1/custom-fields',
    { object: 'contact', key: 'loyalty_code', label: 'Loyalty code', type: 'text', dataCategory: 'user.unique_id' },
    'sales',
  );
}

export async function seedAccessSubject(t: TestApp, workspace: TestWorkspace, emailLocal: string): Promise<SeededSubject> {
  const marker = `mk${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const email = `${emailLocal}@lookalike.example`;
  const sales = workspace.keys.sales;
  const contact = await created(
    t,
    sales,
    '/api/v1/contacts',
    { firstName: 'Jane', lastName: 'Doe', email, city: `City ${marker}`, customFields: { loyalty_code: `loyal-${marker}` } },
    'sales',
  );
  const deal = await created(t, sales, '/api/v1/deals', { name: `Deal ${marker}`, contactIds: [contact.id] }, 'sales');
  const orderNumber = `ORD-${marker}`;
  const purchase = await created(
    t,
    sales,
    '/api/v1/purchases',
    { orderNumber, currency: 'EUR', contactId: contact.id, lines: [{ name: `Item ${marker}`, quantity: 1, unitPriceMinor: 1000 }] },
    'sales',
  );
  const note = await created(
    t,
    sales,
    '/api/v1/activities',
    { type: 'note', subject: `Note ${marker}`, body: `Body ${marker}`, links: { contactIds: [contact.id] } },
    'sales',
  );
  for (const purposeKey of ['email_marketing', 'web_analytics']) {
    await created(t, workspace.keys.marketing, `/api/v1/contacts/${contact.id}/consents`, { purposeKey, state: 'given' }, purposeKey);
  }
  const events = [
    {
      type: 'page_view',
      occurredAt: new Date(Date.now() - 60_000).toISOString(),
      contactId: contact.id,
      properties: { url: `https://shop.example/${marker}` },
    },
  ];
  const ingested = await t.request(workspace.keys.marketing, { method: 'POST', url: '/api/v1/events/batch', payload: { events }, purpose: 'web_analytics' });
  expect(ingested.statusCode, ingested.body).toBeLessThan(300);
  // A staff member reads the deal, the purchase and the note: the trail must show each.
  await read(t, sales, `/api/v1/deals/${deal.id}`, 'sales');
  await read(t, sales, `/api/v1/purchases/${purchase.id}`, 'sales');
  await read(t, sales, `/api/v1/activities/${note.id}`, 'sales');
  return { contactId: contact.id, marker, email, dealId: deal.id, purchaseId: purchase.id, noteId: note.id, orderNumber };
}
