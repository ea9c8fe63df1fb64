import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditConfiguration, auditTrailForSubject, pseudonymsOfSubject, tablesNamingErasedIds, verifyAuditChain } from '../src/kernel/index.ts';
import { advanceDueEpochs, EpochKeyUnavailableError, unwrapSubjectKeyRows, type WrappedKeyRow } from '../src/kernel/vault/index.ts';
import { sendJob } from '../src/queue/sendJob.ts';
import { startJobRunner } from '../src/queue/jobRunner.ts';
import { attemptDelivery } from '../src/webhooks/deliveryAttempt.ts';
import { defaultWebhookSettings } from '../src/webhooks/settings.ts';
import { collectOrigin } from './support/collectRequests.ts';
import { giveConsent } from './support/consentLedger.ts';
import { copyDatabase } from './support/databaseCopy.ts';
import { scanForAll, tableName, tablesHolding } from './support/databaseScan.ts';
import { useFileKeyStore, type TestFileKeyStore } from './support/fileKeyStore.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

// Issue 13's acceptance of "erasure that leaves nothing": a subject seeded with a unique
// marker in every field and linked to every kind of record is erased through the API; after
// the epoch advance EVERY table of the database (information_schema, pg-boss's included) is
// scanned for the subject's id and for the markers, a database copy taken before is shown
// useless, the audit chain verifies, and the address cannot come back without fresh consent.

let keys: TestFileKeyStore;
let t: TestApp;
let workspace: TestWorkspace;

beforeAll(async () => {
  keys = await useFileKeyStore('candor-erasure-');
  t = await createTestApp({ config: { publicUrl: 'https://crm.example.org' } });
  workspace = await t.createWorkspace();
});
afterAll(async () => {
  await t.close();
  await keys.remove();
});

const tag = randomBytes(5).toString('hex');
const marks = {
  firstName: `erfirst${tag}`,
  lastName: `erlast${tag}`,
  email: `eremail${tag}@erasure.example`,
  phone: '+1 202 555 0177',
  jobTitle: `erjob${tag}`,
  city: `ercity${tag}`,
  country: `ercountry${tag}`,
  custom: `ercustom${tag}`,
  note: `ernote${tag}`,
  event: `erevent${tag}`,
  imported: `erimport${tag}`,
  requester: `errequester${tag}`,
};
const markers = [...Object.values(marks), '2025550177'];
const probeQueue = 'erasure-probe';

const as = (key: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, purpose = 'sales', headers = {}) =>
  t.request(key, { method, url, purpose, headers, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

async function ok<T = Record<string, unknown>>(response: Promise<{ statusCode: number; body: string; json(): { data: T } }>, status = 201): Promise<T> {
  const answered = await response;
  expect(answered.statusCode, answered.body).toBe(status);
  return answered.json().data;
}

/** Seeds the subject and everything linked to it; returns the ids the checks need. */
async function seedSubject() {
  const { admin, sales, marketing } = workspace.keys;
  await ok(
    as(admin, 'POST', '/api/v1/custom-fields', { object: 'contact', key: 'loyalty_note', label: 'Loyalty', type: 'text', dataCategory: 'user.contact' }),
  );
  await ok(as(admin, 'POST', '/api/v1/webhooks', { url: 'https://receiver.erasure.example/hook', eventTypes: ['*'] }));
  const { firstName, lastName, email, phone, jobTitle, city, country } = marks;
  // A rights request made with their address (another case, spaces around) before the contact existed: it matched nobody.
  const early = await as(
    workspace.keys.privacy_officer,
    'POST',
    '/api/v1/requests',
    { kind: 'access', regime: 'gdpr', email: `  ${email.toUpperCase()} `, name: marks.requester, details: marks.requester },
    'legal_compliance',
  );
  expect(early.statusCode, early.body).toBe(201);
  expect(early.json().data.contactId).toBeNull();
  // Created with an Idempotency-Key: its record names the subject until the erasure.
  const subject = await ok<{ id: string; version: number }>(
    as(
      sales,
      'POST',
      '/api/v1/contacts',
      { firstName, lastName, email, phone, jobTitle, city, country, customFields: { loyalty_note: marks.custom } },
      'sales',
      {
        'idempotency-key': `erasure-${tag}`,
      },
    ),
  );
  const other = await ok<{ id: string }>(as(sales, 'POST', '/api/v1/contacts', { firstName: 'Olga', email: `other${tag}@erasure.example` }));
  await giveConsent(t.database.db, workspace.id, subject.id, 'web_analytics');
  // A queued background job whose payload names the subject (pg-boss's tables are scanned too).
  const runner = await startJobRunner(t.database, { [probeQueue]: { async run() {} } });
  await runner.stop();
  await sendJob(t.database.db, probeQueue, { contactId: subject.id }, { startAfter: new Date(Date.now() + 3_600_000) });
  await ok(
    as(
      marketing,
      'POST',
      '/api/v1/events',
      { type: 'page_view', occurredAt: new Date().toISOString(), contactId: subject.id, properties: { note: marks.event } },
      'web_analytics',
    ),
  );
  const only = await ok<{ id: string }>(
    as(sales, 'POST', '/api/v1/activities', { type: 'note', subject: marks.note, body: marks.note, links: { contactIds: [subject.id] } }),
  );
  const shared = await ok<{ id: string }>(
    as(sales, 'POST', '/api/v1/activities', { type: 'note', body: 'Met both at the fair', links: { contactIds: [subject.id, other.id] } }),
  );
  const deal = await ok<{ id: string }>(as(sales, 'POST', '/api/v1/deals', { name: 'Erasure deal', contactIds: [subject.id] }));
  const lines = [{ name: 'Gift wrap', quantity: 1, unitPriceMinor: 250 }];
  const purchase = await ok<{ id: string }>(
    as(sales, 'POST', '/api/v1/purchases', { orderNumber: `ER-${tag}`, currency: 'EUR', lines, contactId: subject.id }),
  );
  const csv = `Email,Job Title\n${email},${marks.imported}\n`;
  const imported = await t.request(admin, {
    method: 'POST',
    url: '/api/v1/imports?object=contact&mode=upsert&matchOn=email',
    payload: csv,
    headers: { 'content-type': 'text/csv' },
  });
  expect(imported.statusCode, imported.body).toBe(201);
  // A copy of everything held on them, made for their access request: sealed under their key.
  const exported = await as(workspace.keys.privacy_officer, 'POST', `/api/v1/contacts/${subject.id}/access-exports`, { format: 'json' }, 'dsr_fulfilment');
  expect(exported.statusCode, exported.body).toBe(202);
  return {
    subject: subject.id,
    other: other.id,
    only: only.id,
    shared: shared.id,
    deal: deal.id,
    purchase: purchase.id,
    request: early.json().data.id as string,
  };
}

const collect = async (publicKey: string, consents: Array<{ purposeKey: string; given: boolean }>) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/collect',
    payload: { fields: { email: marks.email }, consents },
    headers: { 'candor-form-key': publicKey, origin: collectOrigin, 'user-agent': 'TestBrowser/1.0' },
    remoteAddress: '203.0.113.9',
  });

describe('erasure that leaves nothing', () => {
  let seeded: Awaited<ReturnType<typeof seedSubject>>;

  it('leaves no row of any table naming the subject but the listed survivors, no marker anywhere, and a useless old copy', async () => {
    seeded = await seedSubject();
    const id = seeded.subject;
    const [indexed] = await t.database.query<{ requester_email_index: string | null }>(
      'select requester_email_index from rights_requests where tenant_id = $1 and id = $2',
      [workspace.id, seeded.request],
    );
    expect(indexed.requester_email_index).toEqual(expect.any(String));
    // Before: the id and the markers' blind traces are spread over many tables (the scan can find them).
    expect([...(await tablesHolding(t.database, id)).keys()].map(tableName)).toEqual(
      expect.arrayContaining([
        'contacts',
        'subject_keys',
        'events',
        'activity_links',
        'deal_contacts',
        'purchases',
        'access_exports',
        'idempotency_keys',
        'webhook_deliveries',
        'pgboss.job',
      ]),
    );
    const copy = await copyDatabase(t.database);
    await keys.backUp();
    try {
      expect((await as(workspace.keys.admin, 'DELETE', `/api/v1/contacts/${id}`)).statusCode).toBe(204);
      // The erasure's own notice to subscribers (Art. 19) names the id until it is delivered or given up.
      const notices = await t.database.query<{ id: string; event_type: string }>(
        "select id, event_type from webhook_deliveries where tenant_id = $1 and status = 'pending' and payload->'data'->>'id' = $2",
        [workspace.id, id],
      );
      expect(notices.map((notice) => notice.event_type)).toEqual(['contact.deleted']);
      const settings = { ...defaultWebhookSettings, maxAttempts: 1, timeoutMs: 2_000 };
      for (const notice of notices) await attemptDelivery(t.database, settings, { tenantId: workspace.id, deliveryId: notice.id, attempt: 1 });
      await advanceDueEpochs(t.database, keys.keyStore, { maxDelayMs: 60_000, maxPendingErasures: 1 });

      // The request made with their address before they were a contact lost its identity, its address's index and its key.
      const [request] = await t.database.query<{ requester_identity: string | null; requester_email_index: string | null }>(
        'select requester_identity, requester_email_index from rights_requests where tenant_id = $1 and id = $2',
        [workspace.id, seeded.request],
      );
      expect(request).toEqual({ requester_identity: null, requester_email_index: null });
      const requestKeys = await t.database.query('select 1 from subject_keys where tenant_id = $1 and subject_id = $2', [workspace.id, seeded.request]);
      expect(requestKeys).toEqual([]);

      // Every table of the database: only the survivors still name the id.
      const naming = [...(await tablesHolding(t.database, id)).keys()].map(tableName);
      const survivors = tablesNamingErasedIds();
      expect(naming.filter((table) => !survivors.has(table))).toEqual([]);
      expect(naming).toEqual(expect.arrayContaining(['erasures', 'consent_events']));
      const [erasure] = await t.database.query<{ reason: string }>('select reason from erasures where tenant_id = $1 and subject_id = $2', [workspace.id, id]);
      expect(erasure.reason).toBe('staff_deletion');
      // No marker in any row of any table (they were never stored in plain text either).
      expect(await scanForAll(t.database, markers)).toEqual([]);

      // The copy from before still holds the sealed row and the wrapped key, which no live key opens.
      const oldKeyRows = await copy.query<WrappedKeyRow>(
        'select subject_id, key_version, epoch, wrapped_key from subject_keys where tenant_id = $1 and subject_id = $2',
        [workspace.id, id],
      );
      expect(oldKeyRows).toHaveLength(1);
      await expect(unwrapSubjectKeyRows(keys.keyStore, workspace.id, oldKeyRows, null)).rejects.toBeInstanceOf(EpochKeyUnavailableError);

      // The audit chain verifies, and the id maps to no pseudonym and finds no entry.
      expect(await verifyAuditChain(t.database.db, workspace.id, { keys: auditConfiguration().keys })).toMatchObject({ ok: true });
      expect(await auditTrailForSubject(t.database.db, workspace.id, { subjectId: id })).toEqual([]);
      expect(await pseudonymsOfSubject(t.database.db, workspace.id, id)).toBeNull();
    } finally {
      await copy.close();
    }
  }, 180_000);

  it('lets no purpose read anything of the subject: the note only about them is gone, the shared one kept without the link and flagged', async () => {
    const purposes = (await as(workspace.keys.admin, 'GET', '/api/v1/purposes')).json().data as Array<{ key: string }>;
    for (const { key } of purposes) {
      const read = await as(workspace.keys.admin, 'GET', `/api/v1/contacts/${seeded.subject}`, undefined, key);
      expect([403, 404]).toContain(read.statusCode);
      for (const marker of markers) expect(read.body).not.toContain(marker);
    }
    const found = await as(workspace.keys.admin, 'POST', '/api/v1/contacts/search', { email: marks.email });
    expect(found.json().data).toEqual([]);
    expect((await as(workspace.keys.sales, 'GET', `/api/v1/activities/${seeded.only}`)).statusCode).toBe(404);
    const shared = await as(workspace.keys.sales, 'GET', `/api/v1/activities/${seeded.shared}`);
    expect(shared.json().data.links.contactIds).toEqual([seeded.other]);
    const [flag] = await t.database.query<{ review_reason: string }>('select review_reason from activities where tenant_id = $1 and id = $2', [
      workspace.id,
      seeded.shared,
    ]);
    expect(flag.review_reason).toBe('linked_subject_erased');
    expect(shared.json().data.reviewReason).toBe('linked_subject_erased');
    const reviewed = await as(workspace.keys.sales, 'PATCH', `/api/v1/activities/${seeded.shared}`, { reviewReason: null }, 'sales', {
      'if-match': `"${shared.json().data.version}"`,
    });
    expect(reviewed.statusCode, reviewed.body).toBe(200);
    expect(reviewed.json().data.reviewReason).toBeNull();
    const deal = await as(workspace.keys.sales, 'GET', `/api/v1/deals/${seeded.deal}`);
    expect(deal.json().data.contactIds ?? []).not.toContain(seeded.subject);
    expect((await as(workspace.keys.sales, 'GET', `/api/v1/purchases/${seeded.purchase}`)).json().data.contactId).toBeNull();
  });

  it('refuses the address on create, PATCH, batch upsert, import and collection with 409 suppressed, never echoing it, until fresh consent lifts it', async () => {
    const { admin, sales } = workspace.keys;
    const refusals = [
      await as(sales, 'POST', '/api/v1/contacts', { firstName: 'Back', email: marks.email.toUpperCase() }),
      await as(sales, 'PATCH', `/api/v1/contacts/${seeded.other}`, { email: marks.email }, 'sales', { 'if-match': '"1"' }),
      await as(admin, 'POST', '/api/v1/contacts/batch', { mode: 'atomic', items: [{ op: 'upsert', data: { email: marks.email, firstName: 'Back' } }] }),
    ];
    for (const refused of refusals) {
      expect(refused.statusCode, refused.body).toBe(409);
      expect(refused.json().code).toBe('suppressed');
      expect(refused.json().errors[0].reason).toBe('suppressed');
      expect(refused.body.toLowerCase()).not.toContain(marks.email);
    }
    const imported = await t.request(admin, {
      method: 'POST',
      url: '/api/v1/imports?object=contact',
      payload: `Email,First Name\n${marks.email},Back\n`,
      headers: { 'content-type': 'text/csv' },
    });
    expect(imported.statusCode).toBe(422);
    expect(imported.body).toContain('"reason":"suppressed"');
    const skipping = await t.request(admin, {
      method: 'POST',
      url: '/api/v1/imports?object=contact&skipInvalid=true',
      payload: `Email,First Name\n${marks.email},Back\n`,
      headers: { 'content-type': 'text/csv' },
    });
    expect(skipping.json().data).toMatchObject({ importedRows: 0, invalidRows: 1, issues: [{ line: 2, field: 'email', reason: 'suppressed' }] });
    expect(imported.body.toLowerCase()).not.toContain(marks.email);

    const key = await ok<{ publicKey: string }>(
      as(admin, 'POST', '/api/v1/form-keys', { name: 'Return', allowedOrigins: [collectOrigin], purposes: ['sales'] }),
    );
    const silent = await collect(key.publicKey, []);
    expect(silent.statusCode, silent.body).toBe(409);
    expect(silent.json()).toMatchObject({ code: 'suppressed', errors: [{ field: 'fields.email', reason: 'suppressed' }] });
    // The person comes back on their own word: a consent given on the form lifts the suppression, audited.
    const fresh = await collect(key.publicKey, [{ purposeKey: 'web_analytics', given: true }]);
    expect(fresh.statusCode, fresh.body).toBe(202);
    const [{ n }] = await t.database.query<{ n: number }>('select count(*)::int as n from suppressions where tenant_id = $1', [workspace.id]);
    expect(n).toBe(0);
    const lifted = await as(workspace.keys.privacy_officer, 'GET', '/api/v1/audit?action=suppression.lifted');
    expect(lifted.json().data).toEqual([expect.objectContaining({ action: 'suppression.lifted', detail: expect.objectContaining({ channel: 'form' }) })]);
  });
});

describe("erasing a contact and the requests made with other people's addresses", () => {
  let place: TestWorkspace;
  beforeAll(async () => {
    place = await t.createWorkspace();
  });

  const desk = async (payload: Record<string, unknown>) => {
    const created = await as(place.keys.privacy_officer, 'POST', '/api/v1/requests', { kind: 'access', regime: 'gdpr', ...payload }, 'legal_compliance');
    expect(created.statusCode, created.body).toBe(201);
    return created.json().data.id as string;
  };
  const identityOf = async (requestId: string) =>
    (await as(place.keys.privacy_officer, 'GET', `/api/v1/requests/${requestId}`, undefined, 'legal_compliance')).json().data.identity;
  const contact = async (email: string) =>
    (await ok<{ id: string }>(as(place.keys.admin, 'POST', '/api/v1/contacts?allowDuplicate=true', { firstName: 'Lena', email }))).id;

  it("keeps a stranger's request and one matched to another contact holding the address, and shreds the unmatched one made with the erased address", async () => {
    const own = await desk({ email: 'Lena.Leaving@Example.org ' });
    const stranger = await desk({ email: 'someone.else@example.org', name: 'Sam' });
    const leaving = await contact('lena.leaving@example.org');
    const twin = await contact('lena.leaving@example.org');
    const twins = await desk({ email: 'lena.leaving@example.org', contactId: twin });

    expect((await as(place.keys.admin, 'DELETE', `/api/v1/contacts/${leaving}`)).statusCode).toBe(204);

    expect(await identityOf(own)).toBeNull();
    expect(await identityOf(stranger)).toEqual({ email: 'someone.else@example.org', name: 'Sam', details: null });
    expect(await identityOf(twins)).toEqual({ email: 'lena.leaving@example.org', name: null, details: null });
    const indexes = await t.database.query<{ id: string; requester_email_index: string | null }>(
      'select id, requester_email_index from rights_requests where tenant_id = $1 and id = any($2::uuid[]) and requester_email_index is not null',
      [place.id, [own, stranger, twins]],
    );
    expect(indexes.map((row) => row.id).sort()).toEqual([stranger, twins].sort());
  });

  it("leaves the requests made with a merged duplicate's address alone: the person lives on in the survivor", async () => {
    const early = await desk({ email: 'max.merge@example.org', name: 'Max' });
    const survivor = await contact('max.merge@example.org');
    const duplicate = await contact('MAX.merge@example.org');
    const merged = await t.request(place.keys.admin, { method: 'POST', url: `/api/v1/contacts/${survivor}/merge`, payload: { duplicateId: duplicate } });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(await identityOf(early)).toEqual({ email: 'max.merge@example.org', name: 'Max', details: null });
  });
});
