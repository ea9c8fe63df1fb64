import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/rows.ts';
import { shredRequestIdentity } from '../src/kernel/index.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * The privacy desk's rights requests (/api/v1/requests): entered on a person's behalf for
 * legal_compliance, with deadlines from the workspace's working calendar; each transition
 * is an event and an audit entry; restriction, objection and opt-outs are fulfilled through
 * the kernel's writers; kinds Candor cannot fulfil yet are refused with 409, never passed off
 * as done; the identity is sealed at rest; one workspace never sees another's requests.
 */

let t: TestApp;
let workspace: TestWorkspace;
let other: TestWorkspace;
beforeAll(async () => {
  t = await createTestApp({ config: { publicUrl: 'https://crm.example.org' } });
  workspace = await t.createWorkspace();
  other = await t.createWorkspace();
});
afterAll(() => t.close());

const desk = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: Record<string, unknown>, key = workspace.keys.privacy_officer) =>
  t.request(key, { method, url, payload, purpose: 'legal_compliance' });

async function createContact(email: string): Promise<string> {
  const response = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload: { firstName: 'Rita', email }, purpose: 'sales' });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().data.id;
}

async function createRequest(payload: Record<string, unknown>) {
  const response = await desk('POST', '/api/v1/requests', { regime: 'gdpr', ...payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().data as Record<string, unknown> & { id: string; state: string };
}

async function auditActions(requestId: string): Promise<string[]> {
  const rows = rowsOf<{ action: string }>(
    await t.database.db.execute(
      sql`select action from audit_entries where tenant_id = ${workspace.id} and ${requestId}::uuid = any(record_ids) order by sequence`,
    ),
  );
  return rows.map((row) => row.action);
}

async function auditActionsOfSubject(contactId: string): Promise<string[]> {
  const response = await t.request(workspace.keys.privacy_officer, { method: 'GET', url: `/api/v1/audit?subjectId=${contactId}&limit=100` });
  return response.json().data.map((entry: { action: string }) => entry.action);
}

describe('rights requests entered by staff', () => {
  it('match the contact by e-mail, fix the deadlines at receipt, and seal the identity', async () => {
    const contactId = await createContact('rita.restrict@example.org');
    const created = await createRequest({ kind: 'restriction', email: 'Rita.Restrict@example.org', name: 'Rita R', jurisdiction: 'DE' });
    expect(created).toMatchObject({ kind: 'restriction', regime: 'gdpr', jurisdiction: 'DE', state: 'received', contactId, channel: 'api', overdue: false });
    expect(created.respondBy).toBe(created.dueOn);
    const [row] = rowsOf<{ requester_identity: string }>(
      await t.database.db.execute(sql`select requester_identity from rights_requests where id = ${created.id}`),
    );
    expect(row.requester_identity).toEqual(expect.any(String));
    expect(row.requester_identity).not.toContain('rita');
    const read = (await desk('GET', `/api/v1/requests/${created.id}`)).json().data;
    expect(read.identity).toEqual({ email: 'rita.restrict@example.org', name: 'Rita R', details: null });
    expect(read.events.map((event: { action: string }) => event.action)).toEqual(['receive']);

    // Shredded with the subject: the request stays, its identity is gone with its key.
    expect(await shredRequestIdentity(t.database.db, workspace.id, created.id)).toBe(true);
    expect(await shredRequestIdentity(t.database.db, workspace.id, created.id)).toBe(false);
    const shredded = (await desk('GET', `/api/v1/requests/${created.id}`)).json().data;
    expect(shredded).toMatchObject({ id: created.id, kind: 'restriction', identity: null });
    const keys = rowsOf(await t.database.db.execute(sql`select 1 from subject_keys where tenant_id = ${workspace.id} and subject_id = ${created.id}`));
    expect(keys).toHaveLength(0);
  });

  it("lose their requester's identity when the contact they concern is erased, and stay as the record", async () => {
    const contactId = await createContact('erased.requester@example.org');
    const created = await createRequest({ kind: 'access', email: 'erased.requester@example.org', name: 'Ernie' });
    expect(created.contactId).toBe(contactId);
    const erased = await t.request(workspace.keys.privacy_officer, { method: 'DELETE', url: `/api/v1/contacts/${contactId}`, purpose: 'legal_compliance' });
    expect(erased.statusCode, erased.body).toBe(204);
    const read = (await desk('GET', `/api/v1/requests/${created.id}`)).json().data;
    expect(read).toMatchObject({ id: created.id, identity: null, contactId: null });
    expect(read.events.map((event: { action: string }) => event.action)).toEqual(['receive']);
  });

  it('are handled for legal_compliance only, by roles holding the request resource', async () => {
    const sales = await t.request(workspace.keys.privacy_officer, { method: 'GET', url: '/api/v1/requests', purpose: 'sales' });
    expect([403, 400]).toContain(sales.statusCode);
    const bySales = await desk('GET', '/api/v1/requests', undefined, workspace.keys.sales);
    expect(bySales.statusCode).toBe(403);
  });

  it('move through verify, start, complete; each transition is an event and an audit entry; the restriction is recorded and can be lifted with an e-mail to the person', async () => {
    const contactId = await createContact('lift.me@example.org');
    const created = await createRequest({ kind: 'restriction', email: 'lift.me@example.org' });
    for (const action of ['verify', 'start']) {
      const moved = await desk('POST', `/api/v1/requests/${created.id}/${action}`);
      expect(moved.statusCode, moved.body).toBe(200);
    }
    const completed = await desk('POST', `/api/v1/requests/${created.id}/complete`);
    expect(completed.statusCode, completed.body).toBe(200);
    expect(completed.json().data).toMatchObject({ state: 'completed', outcome: { status: 'done', restricted: true } });
    const restricted = rowsOf(await t.database.db.execute(sql`select 1 from restrictions where subject_id = ${contactId} and lifted_at is null`));
    expect(restricted).toHaveLength(1);

    const before = t.mail.length;
    const lifted = await desk('POST', `/api/v1/requests/${created.id}/lift-restriction`, { reason: 'The accuracy check is done.' });
    expect(lifted.statusCode, lifted.body).toBe(200);
    expect(t.mail).toHaveLength(before + 1);
    expect(t.mail.at(-1)).toMatchObject({ to: 'lift.me@example.org' });
    expect(t.mail.at(-1)!.text).toContain('The accuracy check is done.');
    expect(rowsOf(await t.database.db.execute(sql`select 1 from restrictions where subject_id = ${contactId} and lifted_at is null`))).toHaveLength(0);

    const events = (await desk('GET', `/api/v1/requests/${created.id}`)).json().data.events.map((event: { action: string }) => event.action);
    expect(events).toEqual(['receive', 'verify', 'start', 'complete', 'lift_restriction']);
    const audited = await auditActions(created.id);
    for (const action of events) expect(audited).toContain(`rights_request.${action}`);
  });

  it('record an objection to direct marketing as absolute, and opt-outs of sale and sharing', async () => {
    const contactId = await createContact('object@example.org');
    const objection = await createRequest({ kind: 'objection', email: 'object@example.org', verified: true });
    const done = await desk('POST', `/api/v1/requests/${objection.id}/complete`);
    expect(done.json().data.outcome).toMatchObject({ status: 'done', directMarketing: true, recorded: true });
    expect(rowsOf(await t.database.db.execute(sql`select 1 from objections where subject_id = ${contactId} and purpose_key is null`))).toHaveLength(1);

    const optOut = await createRequest({ kind: 'opt_out_sale_sharing', regime: 'ccpa', email: 'object@example.org', verified: true });
    const optedOut = await desk('POST', `/api/v1/requests/${optOut.id}/complete`);
    expect(optedOut.statusCode, optedOut.body).toBe(200);
    expect(optedOut.json().data.outcome.optedOut).toContain('third_party_sharing');
  });

  it('refuse with 409 naming kind to complete a rectification that names no corrections, and record nothing', async () => {
    const created = await createRequest({ kind: 'rectification', email: 'access@example.org', verified: true });
    const refused = await desk('POST', `/api/v1/requests/${created.id}/complete`);
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json().errors ?? refused.json().issues ?? refused.json()).toBeDefined();
    expect(refused.body).toContain('kind');
    expect((await desk('GET', `/api/v1/requests/${created.id}`)).json().data.state).toBe('verified');
  });

  it('answer access with a readable export and portability with a JSON one, both of the matched contact', async () => {
    const contactId = await createContact('copy.me@example.org');
    for (const [kind, format] of [
      ['access', 'html'],
      ['portability', 'json'],
    ] as const) {
      const created = await createRequest({ kind, email: 'copy.me@example.org', verified: true });
      const done = await desk('POST', `/api/v1/requests/${created.id}/complete`);
      expect(done.statusCode, done.body).toBe(200);
      const outcome = done.json().data.outcome;
      expect(outcome).toMatchObject({ status: 'done', format, exportStatus: 'ready' });
      const exported = await t.request(workspace.keys.privacy_officer, {
        method: 'GET',
        url: `/api/v1/contacts/${contactId}/access-exports/${outcome.accessExportId}`,
        purpose: 'dsr_fulfilment',
      });
      expect(exported.json().data).toMatchObject({ format, status: 'ready', requestId: created.id });
    }
  });

  it('rectify through the kernel what a rectification names, showing each field beside its value now', async () => {
    const contactId = await createContact('rectify.me@example.org');
    const created = await createRequest({ kind: 'rectification', email: 'rectify.me@example.org', verified: true, corrections: { first_name: 'Rina' } });
    const read = (await desk('GET', `/api/v1/requests/${created.id}`)).json().data;
    expect(read.corrections).toEqual([{ field: 'first_name', current: 'Rita', requested: 'Rina' }]);
    expect(read.identity.corrections).toEqual({ first_name: 'Rina' });
    const completed = await desk('POST', `/api/v1/requests/${created.id}/complete`);
    expect(completed.statusCode, completed.body).toBe(200);
    expect(completed.json().data.outcome).toEqual({ status: 'done', rectified: ['first_name'] });
    const contact = await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/contacts/${contactId}`, purpose: 'sales' });
    expect(contact.json().data.firstName).toBe('Rina');
    expect(await auditActionsOfSubject(contactId)).toContain('contact.rectified');
    expect(
      (await desk('POST', '/api/v1/requests', { kind: 'access', regime: 'gdpr', email: 'x@example.org', corrections: { first_name: 'X' } })).statusCode,
    ).toBe(422);
  });

  it('need a reason to deny or extend, allow one extension, and refuse moves their state does not allow', async () => {
    const created = await createRequest({ kind: 'rectification', email: 'extend@example.org', verified: true });
    expect((await desk('POST', `/api/v1/requests/${created.id}/extend`, {})).statusCode).toBe(422);
    const extended = await desk('POST', `/api/v1/requests/${created.id}/extend`, { reason: 'Many records to check across systems.' });
    expect(extended.statusCode, extended.body).toBe(200);
    const data = extended.json().data;
    expect(data).toMatchObject({ state: 'extended', extensionReason: 'Many records to check across systems.' });
    expect(data.dueOn).toBe(data.extendedRespondBy);
    expect((await desk('POST', `/api/v1/requests/${created.id}/extend`, { reason: 'again' })).statusCode).toBe(409);
    const denied = await desk('POST', `/api/v1/requests/${created.id}/deny`, { reason: 'We hold no such record.' });
    expect(denied.json().data).toMatchObject({ state: 'denied', denialReason: 'We hold no such record.' });
    expect((await desk('POST', `/api/v1/requests/${created.id}/start`)).statusCode).toBe(409);
  });

  it('extend GDPR requests only within the first month, and CCPA requests by 45 days once', async () => {
    const late = await createRequest({ kind: 'access', email: 'late.extension@example.org', verified: true });
    await t.database.db.execute(sql`update rights_requests set extension_notice_by = current_date - 1 where id = ${late.id}`);
    const refused = await desk('POST', `/api/v1/requests/${late.id}/extend`, { reason: 'Too late to ask.' });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('within the first period');

    const ccpa = await createRequest({ kind: 'access', regime: 'ccpa', email: 'ccpa.extension@example.org', verified: true });
    const extended = (await desk('POST', `/api/v1/requests/${ccpa.id}/extend`, { reason: 'Records in archive.' })).json().data;
    const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;
    expect(days(extended.receivedOn, extended.respondBy)).toBe(45);
    expect(days(extended.receivedOn, extended.dueOn)).toBe(90);

    const optOut = await createRequest({ kind: 'opt_out_sale_sharing', regime: 'ccpa', email: 'ccpa.extension@example.org', verified: true });
    expect((await desk('POST', `/api/v1/requests/${optOut.id}/extend`, { reason: 'No.' })).statusCode).toBe(409);
  });

  it('mail the person a code and link on send-verification; a new one replaces the old', async () => {
    const created = await createRequest({ kind: 'erasure', email: 'verify.me@example.org', sendVerification: true });
    expect(created.state).toBe('awaiting_verification');
    const first = /^ {2}(\d{6})$/m.exec(t.mail.at(-1)!.text)![1];
    expect(t.mail.at(-1)!.to).toBe('verify.me@example.org');
    const resent = await desk('POST', `/api/v1/requests/${created.id}/send-verification`);
    expect(resent.statusCode, resent.body).toBe(200);
    const second = /^ {2}(\d{6})$/m.exec(t.mail.at(-1)!.text)![1];
    const verify = (code: string) => t.app.inject({ method: 'POST', url: `/api/v1/portal/${workspace.slug}/requests/${created.id}/verify`, payload: { code } });
    if (first !== second) expect((await verify(first)).statusCode).toBe(422);
    const verified = await verify(second);
    expect(verified.statusCode, verified.body).toBe(200);
    expect((await desk('POST', `/api/v1/requests/${created.id}/send-verification`)).statusCode).toBe(409);
  });

  it('refuse to lift a restriction a request did not put in place', async () => {
    const created = await createRequest({ kind: 'objection', email: 'no.lift@example.org', verified: true });
    expect((await desk('POST', `/api/v1/requests/${created.id}/lift-restriction`, {})).statusCode).toBe(409);
  });

  it('are listed as overdue once their due date has passed, and as due soon before', async () => {
    const created = await createRequest({ kind: 'erasure', email: 'late@example.org' });
    await t.database.db.execute(sql`update rights_requests set respond_by = current_date - 3 where id = ${created.id}`);
    const overdue = (await desk('GET', '/api/v1/requests?due=overdue')).json().data.map((row: { id: string }) => row.id);
    expect(overdue).toContain(created.id);
    await t.database.db.execute(sql`update rights_requests set respond_by = current_date + 3 where id = ${created.id}`);
    const soon = (await desk('GET', '/api/v1/requests?due=soon')).json().data.map((row: { id: string }) => row.id);
    expect(soon).toContain(created.id);
    expect((await desk('GET', '/api/v1/requests?due=overdue')).json().data.map((row: { id: string }) => row.id)).not.toContain(created.id);
  });

  it('are invisible to another workspace', async () => {
    const created = await createRequest({ kind: 'access', email: 'mine@example.org' });
    const foreign = await desk('GET', `/api/v1/requests/${created.id}`, undefined, other.keys.privacy_officer);
    expect(foreign.statusCode).toBe(404);
    expect((await desk('POST', `/api/v1/requests/${created.id}/verify`, undefined, other.keys.privacy_officer)).statusCode).toBe(404);
    const listed = (await desk('GET', '/api/v1/requests', undefined, other.keys.privacy_officer)).json().data;
    expect(listed.map((row: { id: string }) => row.id)).not.toContain(created.id);
  });
});

describe('the holidays business days skip', () => {
  it('are seeded from the public holidays and editable; a removed one stays removed', async () => {
    const listed = await desk('GET', '/api/v1/requests/holidays?jurisdiction=DE&year=2027');
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().data).toContainEqual({ date: '2027-12-25', name: 'Christmas Day' });
    expect((await desk('PUT', '/api/v1/requests/holidays/DE/2027-06-01', { name: 'Company day' })).statusCode).toBe(200);
    expect((await desk('DELETE', '/api/v1/requests/holidays/DE/2027-12-25')).statusCode).toBe(204);
    const after = (await desk('GET', '/api/v1/requests/holidays?jurisdiction=DE&year=2027')).json().data;
    expect(after).toContainEqual({ date: '2027-06-01', name: 'Company day' });
    expect(after.map((holiday: { date: string }) => holiday.date)).not.toContain('2027-12-25');
    expect((await desk('GET', '/api/v1/requests/holidays?jurisdiction=XX&year=2027')).statusCode).toBe(422);
    expect((await desk('PUT', '/api/v1/requests/holidays/DE/2027-06-01', { name: 'x' }, workspace.keys.sales)).statusCode).toBe(403);
  });
});
