import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retentionSweepHandler, retentionSweepQueue } from '../src/jobs/retentionJobs.ts';
import { runRetentionSweep } from '../src/privacy/retention/retentionSweep.ts';
import { listRetentionProofs } from '../src/privacy/retention/retentionProofs.ts';
import { consentingVisitors } from './support/consentingVisitors.ts';
import { insertSubjectStates } from '../src/kernel/policy/index.ts';
import { giveConsent } from './support/consentLedger.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * Retention time travel (issue 13 acceptance): the sweep runs "as of" a day past the
 * purposes' periods, against records made today. Before the period nothing goes; past it,
 * the subjects no purpose justifies keeping go with their events, each batch leaves a proof
 * of deletion tied to its audit entry, legal holds keep their subjects, and the dry run
 * lists exactly what the sweep then removes.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const day = 86_400_000;
const daysFromNow = (days: number) => new Date(Date.now() + days * day);

async function newContact(workspace: TestWorkspace, name: string): Promise<string> {
  const response = await t.request(workspace.keys.admin, {
    method: 'POST',
    url: '/api/v1/contacts',
    payload: { firstName: name, email: `${randomUUID()}@example.org` },
    purpose: 'sales',
  });
  expect(response.statusCode).toBe(201);
  return response.json().data.id;
}

async function buys(workspace: TestWorkspace, contactId: string): Promise<void> {
  const response = await t.request(workspace.keys.sales, {
    method: 'POST',
    url: '/api/v1/purchases',
    payload: { orderNumber: `R-${randomUUID()}`, currency: 'EUR', contactId, lines: [{ name: 'Tea', quantity: 1, unitPriceMinor: 500 }] },
  });
  expect(response.statusCode).toBe(201);
}

async function pageViews(workspace: TestWorkspace, anonymousId: string, count: number): Promise<void> {
  const events = Array.from({ length: count }, () => ({ type: 'page_view', occurredAt: new Date().toISOString(), anonymousId }));
  const response = await t.request(workspace.keys.marketing, { method: 'POST', url: '/api/v1/events/batch', payload: { events }, purpose: 'web_analytics' });
  expect(response.statusCode, response.body).toBeLessThan(300);
}

const count = async (table: 'contacts' | 'visitors' | 'events', tenantId: string, id?: string) =>
  (
    await t.database.query<{ n: number }>(
      `select count(*)::int as n from ${table} where tenant_id = $1${id ? ` and ${table === 'events' ? 'coalesce(contact_id, visitor_id)' : 'id'} = $2` : ''}`,
      id ? [tenantId, id] : [tenantId],
    )
  )[0].n;

type World = { workspace: TestWorkspace; stranger: string; customer: string; held: string; fan: string; lapsed: string };

/** A workspace with one subject of each kind the sweep must tell apart, all made today. */
async function world(): Promise<World> {
  const workspace = await t.createWorkspace();
  const stranger = await newContact(workspace, 'Stranger'); // sales only: 1095 days from the last interaction
  const customer = await newContact(workspace, 'Customer'); // a purchase: order_fulfilment keeps it 3650 days
  await buys(workspace, customer);
  const held = await newContact(workspace, 'Held');
  const hold = await t.request(workspace.keys.privacy_officer, { method: 'POST', url: '/api/v1/legal-holds', payload: { subjectId: held, reason: 'Case 7' } });
  expect(hold.statusCode).toBe(201);
  const visitors = await consentingVisitors(t.database, workspace.id, ['fan-browser', 'lapsed-browser']);
  const fan = visitors.get('fan-browser')!; // live web_analytics consent: kept, its old events go
  const lapsed = visitors.get('lapsed-browser')!; // consent withdrawn now: 395 days later it goes
  await pageViews(workspace, 'fan-browser', 3);
  await pageViews(workspace, 'lapsed-browser', 2);
  await giveConsent(t.database.db, workspace.id, lapsed, 'web_analytics', { givenAt: new Date(Date.now() - 60_000), withdrawnAt: new Date() });
  return { workspace, stranger, customer, held, fan, lapsed };
}

describe('the retention sweep, travelling in time', () => {
  it('removes nothing while every period runs', async () => {
    const { workspace } = await world();
    const report = await runRetentionSweep(t.database, workspace.id, { asOf: daysFromNow(1) });
    expect(report.subjects).toEqual([]);
    expect(report.expiredEvents).toBe(0);
    expect(report.proofs).toBe(0);
  });

  it('past the periods: the subjects no purpose keeps and the old events go, held ones stay, and each batch leaves its proof', async () => {
    const w = await world();
    const asOf = daysFromNow(1100);
    const dryRun = await runRetentionSweep(t.database, w.workspace.id, { asOf, dryRun: true });
    expect(dryRun.subjects.map((subject) => subject.subjectId).sort()).toEqual([w.stranger, w.lapsed].sort());
    expect(dryRun.held).toEqual([w.held]);
    expect(dryRun.expiredEvents).toBe(3); // the fan's; the lapsed visitor's are erased with it
    expect(await count('contacts', w.workspace.id, w.stranger)).toBe(1); // a dry run changes nothing

    const progress: number[] = [];
    const report = await runRetentionSweep(t.database, w.workspace.id, { asOf, batchSize: 1, onProgress: (done) => progress.push(done) });
    expect(report.subjects).toEqual(dryRun.subjects); // exactly what the dry run listed
    expect(report.expiredEvents).toBe(dryRun.expiredEvents);
    expect(progress).toEqual([0, 1, 2]);
    expect(await count('contacts', w.workspace.id, w.stranger)).toBe(0);
    expect(await count('visitors', w.workspace.id, w.lapsed)).toBe(0);
    expect(await count('events', w.workspace.id, w.lapsed)).toBe(0);
    expect(await count('events', w.workspace.id, w.fan)).toBe(0);
    for (const kept of [w.customer, w.held]) expect(await count('contacts', w.workspace.id, kept)).toBe(1);
    expect(await count('visitors', w.workspace.id, w.fan)).toBe(1);

    const proofs = await listRetentionProofs(t.database.db, w.workspace.id, { runId: report.runId! });
    expect(proofs.map((proof) => [proof.erasedSubjects, proof.expiredEvents]).sort()).toEqual([
      [0, 3],
      [1, 0],
      [1, 0],
    ]);
    const audit = await t.request(w.workspace.keys.admin, { method: 'GET', url: '/api/v1/audit?action=retention.swept&limit=100' });
    const entries = audit.json().data as Array<{ sequence: number; subjectPseudonyms: string[] }>;
    for (const proof of proofs.filter((each) => each.erasedSubjects > 0)) {
      expect(proof.subjectPseudonyms).toHaveLength(1);
      expect(entries.find((entry) => entry.sequence === proof.auditSequence)?.subjectPseudonyms).toEqual(proof.subjectPseudonyms);
    }
    expect(JSON.stringify(proofs)).not.toContain(w.stranger);

    const again = await runRetentionSweep(t.database, w.workspace.id, { asOf });
    expect(again.subjects).toEqual([]);
  });

  it('keeps a held subject until its hold is released, then sweeps it', async () => {
    const w = await world();
    const asOf = daysFromNow(1100);
    await runRetentionSweep(t.database, w.workspace.id, { asOf });
    expect(await count('contacts', w.workspace.id, w.held)).toBe(1);
    const holds = await t.request(w.workspace.keys.admin, { method: 'GET', url: `/api/v1/legal-holds?subjectId=${w.held}` });
    await t.request(w.workspace.keys.admin, { method: 'POST', url: `/api/v1/legal-holds/${holds.json().data[0].id}/release` });
    const report = await runRetentionSweep(t.database, w.workspace.id, { asOf });
    expect(report.subjects.map((subject) => subject.subjectId)).toEqual([w.held]);
    expect(await count('contacts', w.workspace.id, w.held)).toBe(0);
  });

  it("anonymises where the privacy officer chose it: the record stays, its personal values and trail don't", async () => {
    const workspace = await t.createWorkspace();
    const purposes = await t.request(workspace.keys.admin, { method: 'GET', url: '/api/v1/purposes' });
    const sales = (purposes.json().data as Array<{ key: string; version: number }>).find((purpose) => purpose.key === 'sales')!;
    const changed = await t.request(workspace.keys.privacy_officer, {
      method: 'PATCH',
      url: '/api/v1/purposes/sales',
      payload: { retentionAction: 'anonymise' },
      headers: { 'if-match': `"${sales.version}"` },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().data).toMatchObject({ retentionAnchor: 'last_interaction', retentionAction: 'anonymise' });
    const contact = await newContact(workspace, 'Anonymous-to-be');

    const report = await runRetentionSweep(t.database, workspace.id, { asOf: daysFromNow(1100) });
    expect(report.subjects).toEqual([{ subjectId: contact, kind: 'contact', action: 'anonymise' }]);
    const [row] = await t.database.query<{ personal: Record<string, unknown>; anonymised_at: Date | null }>(
      'select personal, anonymised_at from contacts where tenant_id = $1 and id = $2',
      [workspace.id, contact],
    );
    expect(row.personal).toEqual({});
    expect(row.anonymised_at).not.toBeNull();
    const proofs = await listRetentionProofs(t.database.db, workspace.id, { runId: report.runId! });
    expect(proofs.map((proof) => proof.anonymisedSubjects)).toEqual([1]);
    const trail = await t.database.query('select 1 from lookup_tokens where tenant_id = $1 and record_id = $2', [workspace.id, contact]);
    expect(trail).toEqual([]);
    // Anonymised once: the next sweep leaves the record alone.
    expect((await runRetentionSweep(t.database, workspace.id, { asOf: daysFromNow(1100) })).subjects).toEqual([]);
  });
});

describe('objections and restrictions', () => {
  it('an objection ends the purpose objected to at once; a restriction keeps the person, listed apart, until it is lifted', async () => {
    const w = await world();
    const objector = await newContact(w.workspace, 'Objector');
    const restricted = await newContact(w.workspace, 'Restricted');
    const now = new Date();
    await insertSubjectStates(t.database.db, w.workspace.id, [
      { subjectId: objector, consents: [], objections: [{ purposeKey: 'sales', objectedAt: now }], restrictions: [], erasures: [] },
      {
        subjectId: restricted,
        consents: [],
        objections: [{ purposeKey: 'sales', objectedAt: now }],
        restrictions: [{ restrictedAt: now, liftedAt: null }],
        erasures: [],
      },
    ]);
    // 800 days on, sales (1095 days) still keeps the stranger; support (730 days) no longer keeps anyone.
    const report = await runRetentionSweep(t.database, w.workspace.id, { asOf: daysFromNow(800) });
    expect(report.subjects.map((subject) => subject.subjectId).sort()).toEqual([objector, w.lapsed].sort());
    expect(report.restricted).toEqual([restricted]);
    expect(await count('contacts', w.workspace.id, objector)).toBe(0);
    for (const kept of [restricted, w.stranger]) expect(await count('contacts', w.workspace.id, kept)).toBe(1);
  });
});

describe('the retention API', () => {
  it('previews exactly what the sweep then removes, and lists the proofs it wrote; for privacy officers and admins', async () => {
    const w = await world();
    const asOf = daysFromNow(1100).toISOString();
    const preview = await t.request(w.workspace.keys.privacy_officer, { method: 'GET', url: `/api/v1/retention/preview?asOf=${asOf}` });
    expect(preview.statusCode, preview.body).toBe(200);
    const plan = preview.json().data;
    expect(plan).toMatchObject({ total: 2, held: [w.held], expiredEvents: 3 });
    const report = await runRetentionSweep(t.database, w.workspace.id, { asOf: new Date(asOf) });
    expect(report.subjects).toEqual(plan.subjects);

    const proofs = await t.request(w.workspace.keys.admin, { method: 'GET', url: `/api/v1/retention/proofs?runId=${report.runId}` });
    expect(proofs.statusCode).toBe(200);
    expect(proofs.json().data.reduce((sum: number, proof: { erasedSubjects: number }) => sum + proof.erasedSubjects, 0)).toBe(2);
    for (const role of ['sales', 'support', 'marketing', 'analyst'] as const) {
      expect((await t.request(w.workspace.keys[role], { method: 'GET', url: '/api/v1/retention/preview' })).statusCode, role).toBe(403);
      expect((await t.request(w.workspace.keys[role], { method: 'GET', url: '/api/v1/retention/proofs' })).statusCode, role).toBe(403);
    }
  });

  it('refuses an asOf so early that counting a period back from it leaves the calendar, naming asOf', async () => {
    const w = await world();
    const preview = await t.request(w.workspace.keys.privacy_officer, { method: 'GET', url: '/api/v1/retention/preview?asOf=0001-01-01T00:00:00Z' });
    expect(preview.statusCode, preview.body).toBe(422);
    expect(preview.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(preview.json().errors).toEqual([{ field: 'querystring.asOf', reason: 'from the year 1000 on' }]);
  });
});

describe('the nightly retention job', () => {
  it('runs at 02:30 UTC and sweeps every workspace as of its tick', async () => {
    const w = await world();
    const handler = retentionSweepHandler(t.database, () => daysFromNow(1100));
    expect(handler).toMatchObject({ schedule: '30 2 * * *', singleton: true });
    expect(retentionSweepQueue).toBe('retention-sweep');
    await handler.run({}, { id: 'tick', queue: retentionSweepQueue });
    expect(await count('contacts', w.workspace.id, w.stranger)).toBe(0);
    expect(await count('contacts', w.workspace.id, w.held)).toBe(1);
    expect((await listRetentionProofs(t.database.db, w.workspace.id)).length).toBeGreaterThan(0);
  });
});
