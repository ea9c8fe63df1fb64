import { unzipSync, strFromU8 } from 'fflate';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessExportDocument } from '../src/privacy/accessExports/accessExportDocument.ts';
import { defineAccessCustomField, seedAccessSubject, type SeededSubject } from './support/accessSubjects.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

// Access exports through the API: two look-alike subjects, the three formats, the trail, the links.

let t: TestApp;
let workspace: TestWorkspace;
let otherWorkspace: TestWorkspace;
let jane: SeededSubject;
let janeToo: SeededSubject;
let now = new Date();

const officer = () => workspace.keys.privacy_officer;
const dsr = 'dsr_fulfilment';

async function exportOf(contactId: string, format: string, key = officer(), ws = workspace): Promise<{ id: string; status: string; progress: number }> {
  const created = await t.request(key, { method: 'POST', url: `/api/v1/contacts/${contactId}/access-exports`, payload: { format }, purpose: dsr });
  expect(created.statusCode, created.body).toBe(202);
  const status = await t.request(key, { method: 'GET', url: `/api/v1/contacts/${contactId}/access-exports/${created.json().data.id}`, purpose: dsr });
  expect(status.statusCode).toBe(200);
  expect(ws.id).toBeTruthy();
  return status.json().data;
}

async function linkTo(contactId: string, exportId: string): Promise<string> {
  const response = await t.request(officer(), { method: 'POST', url: `/api/v1/contacts/${contactId}/access-exports/${exportId}/download-links`, purpose: dsr });
  expect(response.statusCode, response.body).toBe(201);
  expect(response.json().data.url).toContain(`/api/v1/access-export-downloads/${response.json().data.token}`);
  return response.json().data.token;
}

const download = (token: string) =>
  t.app.inject({ method: 'GET', url: `/api/v1/access-export-downloads/${token}`, remoteAddress: `10.9.${Math.floor(Math.random() * 250)}.1` });

async function downloaded(subject: SeededSubject, format: string): Promise<Buffer> {
  const exported = await exportOf(subject.contactId, format);
  expect(exported).toMatchObject({ status: 'ready', progress: 100 });
  const response = await download(await linkTo(subject.contactId, exported.id));
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['cache-control']).toBe('no-store');
  return response.rawPayload;
}

function expectOnlyItsOwn(text: string, subject: SeededSubject, other: SeededSubject) {
  for (const own of [
    subject.email,
    `loyal-${subject.marker}`,
    `Deal ${subject.marker}`,
    subject.orderNumber,
    `Item ${subject.marker}`,
    `Body ${subject.marker}`,
    `https://shop.example/${subject.marker}`,
  ])
    expect(text).toContain(own);
  for (const foreign of [other.marker, other.contactId, other.dealId, other.purchaseId, other.noteId, other.email]) expect(text).not.toContain(foreign);
}

beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
  workspace = await t.createWorkspace();
  otherWorkspace = await t.createWorkspace();
  await defineAccessCustomField(t, workspace);
  jane = await seedAccessSubject(t, workspace, 'jane.doe');
  janeToo = await seedAccessSubject(t, workspace, 'jane.doe1');
});
afterAll(() => t?.close());

describe('access exports of two look-alike subjects', () => {
  it('hold, as JSON, every seeded record of their subject and nothing of the other, with the Art. 15 context', async () => {
    for (const [subject, other] of [
      [jane, janeToo],
      [janeToo, jane],
    ] as const) {
      const body = await downloaded(subject, 'json');
      const document = JSON.parse(body.toString('utf8')) as AccessExportDocument;
      expect(document.format).toBe('candor.access-export/1');
      expectOnlyItsOwn(body.toString('utf8'), subject, other);
      expect(document.subject.deals.map((deal) => deal.id)).toEqual([subject.dealId]);
      expect(document.context.purposes.map((purpose) => purpose.key)).toEqual(expect.arrayContaining(['dsr_fulfilment', 'email_marketing', 'sales']));
      expect(document.context.purposes.find((purpose) => purpose.key === 'dsr_fulfilment')).toMatchObject({
        legalBasis: 'legal_obligation',
        retentionDays: null,
      });
      expect(document.context.categories).toContain('user.contact.email');
      expect(document.context.source.length).toBeGreaterThan(0);
      expect(document.context.rights.length).toBeGreaterThan(0);
    }
  });

  it("shows in the export's trail the reads of the subject's deals, purchases and notes", async () => {
    const document = JSON.parse((await downloaded(jane, 'json')).toString('utf8')) as AccessExportDocument;
    const read = (action: string, id: string) =>
      document.subject.trail.some((entry) => entry.action === action && entry.purpose === 'sales' && entry.recordIds.includes(id));
    expect(read('deal.read', jane.dealId)).toBe(true);
    expect(read('purchase.read', jane.purchaseId)).toBe(true);
    expect(read('activity.read', jane.noteId)).toBe(true);
  });

  it('parses as a zip of CSVs, one per kind of record', async () => {
    const files = unzipSync(new Uint8Array(await downloaded(jane, 'csv')));
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(['contact.csv', 'deals.csv', 'purchases.csv', 'activities.csv', 'events.csv', 'consents.csv', 'access_trail.csv']),
    );
    const table = (name: string) => parse(strFromU8(files[name]!), { columns: true, bom: true }) as Array<Record<string, string>>;
    expect(table('contact.csv').find((row) => row.field === 'email')?.value).toBe(jane.email);
    expect(table('deals.csv').map((row) => row.id)).toEqual([jane.dealId]);
    expect(table('purchase_lines.csv').map((row) => row.name)).toEqual([`Item ${jane.marker}`]);
    expect(table('access_trail.csv').some((row) => row.action === 'purchase.read' && row.record_ids.includes(jane.purchaseId))).toBe(true);
    expectOnlyItsOwn(
      Object.values(files)
        .map((file) => strFromU8(file))
        .join('\n'),
      jane,
      janeToo,
    );
  });

  it('renders a readable HTML page with every value escaped and no script', async () => {
    const html = (await downloaded(janeToo, 'html')).toString('utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<img|<link|https?:\/\/[^"<\s]*\.(js|css)/i);
    expect(html).toContain('<h2 id="trail">Who accessed your data, and why</h2>');
    expectOnlyItsOwn(html, janeToo, jane);
  });
});

describe('access export links', () => {
  it('work once, name one export, and refuse expired, altered or foreign links alike', async () => {
    const exported = await exportOf(jane.contactId, 'json');
    const token = await linkTo(jane.contactId, exported.id);
    expect((await download(token)).statusCode).toBe(200);
    expect((await download(token)).statusCode).toBe(404);

    const expiring = await linkTo(jane.contactId, exported.id);
    now = new Date(Date.now() + 16 * 60_000);
    try {
      expect((await download(expiring)).statusCode).toBe(404);
    } finally {
      now = new Date();
    }
    const fresh = await linkTo(jane.contactId, exported.id);
    // The token is the workspace (22 characters), the link (22) and the secret (43).
    const otherTenant = Buffer.from(otherWorkspace.id.replaceAll('-', ''), 'hex').toString('base64url');
    expect((await download(`${otherTenant}${fresh.slice(22)}`)).statusCode).toBe(404);
    expect((await download(`${fresh.slice(0, -1)}${fresh.endsWith('A') ? 'B' : 'A'}`)).statusCode).toBe(404);
    expect((await download('not-a-token')).statusCode).toBe(404);
    // The export is of one subject: asked for under the other's path, it does not exist.
    const foreign = await t.request(officer(), {
      method: 'POST',
      url: `/api/v1/contacts/${janeToo.contactId}/access-exports/${exported.id}/download-links`,
      purpose: dsr,
    });
    expect(foreign.statusCode).toBe(404);
    expect((await download(fresh)).statusCode).toBe(200);
  });

  it("are listed for the contact, newest first, with their state, and only that contact's", async () => {
    const first = await exportOf(jane.contactId, 'csv');
    const second = await exportOf(jane.contactId, 'html');
    const listed = await t.request(officer(), { method: 'GET', url: `/api/v1/contacts/${jane.contactId}/access-exports`, purpose: dsr });
    expect(listed.statusCode, listed.body).toBe(200);
    const rows: Array<{ id: string; contactId: string; status: string }> = listed.json().data;
    expect(rows.map((row) => row.id).indexOf(second.id)).toBeLessThan(rows.map((row) => row.id).indexOf(first.id));
    expect(rows.find((row) => row.id === second.id)).toMatchObject({ status: 'ready', format: 'html' });
    expect(rows.every((row) => row.contactId === jane.contactId)).toBe(true);
    const sales = await t.request(workspace.keys.sales, { method: 'GET', url: `/api/v1/contacts/${jane.contactId}/access-exports`, purpose: dsr });
    expect(sales.statusCode).toBe(403);
  });

  it('are refused for other purposes and roles, and the files are sealed and go with the erased subject', async () => {
    const sales = await t.request(workspace.keys.sales, {
      method: 'POST',
      url: `/api/v1/contacts/${jane.contactId}/access-exports`,
      payload: { format: 'json' },
      purpose: dsr,
    });
    expect(sales.statusCode).toBe(403);
    const wrongPurpose = await t.request(officer(), {
      method: 'POST',
      url: `/api/v1/contacts/${jane.contactId}/access-exports`,
      payload: { format: 'json' },
      purpose: 'sales',
    });
    expect(wrongPurpose.statusCode).toBe(403);
    expect(wrongPurpose.json().errors).toEqual([{ field: 'Candor-Purpose', reason: 'must be dsr_fulfilment' }]);

    const exported = await exportOf(janeToo.contactId, 'json');
    const sealed = await t.database.query<{ text: string }>("select encode(sealed, 'escape') as text from access_export_files where export_id = $1", [
      exported.id,
    ]);
    expect(sealed.length).toBeGreaterThan(0);
    for (const part of sealed) expect(part.text).not.toContain(janeToo.marker);
    const token = await linkTo(janeToo.contactId, exported.id);
    const erased = await t.request(workspace.keys.admin, { method: 'DELETE', url: `/api/v1/contacts/${janeToo.contactId}`, purpose: 'sales' });
    expect(erased.statusCode).toBeLessThan(300);
    expect((await download(token)).statusCode).toBe(404);
    const left = await t.database.query<{ n: number }>('select count(*)::int as n from access_exports where tenant_id = $1 and contact_id = $2', [
      workspace.id,
      janeToo.contactId,
    ]);
    expect(left[0]!.n).toBe(0);
  });
});
