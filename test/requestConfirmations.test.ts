import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../src/accounts/users.ts';
import { rowsOf } from '../src/db/rows.ts';
import { type DeadlineNotice, remindRequestDeadlines } from '../src/privacy/requests/requestDeadlineReminders.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * Confirming receipt of a rights request (CCPA: within 10 business days): the confirm-by date
 * is tracked on the request, confirming mails the requester and is a request event, the queue
 * lists what is still to confirm, and the hourly request-deadlines job reminds once as the
 * date nears and escalates once when it has passed.
 */

let t: TestApp;
let workspace: TestWorkspace;
beforeAll(async () => {
  t = await createTestApp({ config: { publicUrl: 'https://crm.example.org' } });
  workspace = await t.createWorkspace();
});
afterAll(() => t.close());

type RequestView = {
  id: string;
  acknowledgeBy: string | null;
  acknowledgedAt: string | null;
  confirmationOverdue: boolean;
  receivedOn: string;
  dueOn: string;
  events?: Array<{ action: string }>;
};

const desk = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
  t.request(workspace.keys.privacy_officer, { method, url, payload, purpose: 'legal_compliance' });

async function createRequest(payload: Record<string, unknown>): Promise<RequestView> {
  const response = await desk('POST', '/api/v1/requests', { kind: 'access', regime: 'ccpa', jurisdiction: 'US-CA', ...payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().data;
}

const unconfirmedIds = async () => ((await desk('GET', '/api/v1/requests?due=unconfirmed&limit=100')).json().data as RequestView[]).map((row) => row.id);
const setConfirmBy = (id: string, days: number) =>
  t.database.db.execute(sql`update rights_requests set acknowledge_by = (now() at time zone time_zone)::date + ${days}::int where id = ${id}`);

describe('confirming receipt of a CCPA request', () => {
  it('mails the requester when it was received and when the answer is due, records a request event, and happens once', async () => {
    const request = await createRequest({ email: 'casey.confirm@example.org' });
    expect(request.acknowledgeBy).not.toBeNull();
    expect(request).toMatchObject({ acknowledgedAt: null, confirmationOverdue: false });
    expect(await unconfirmedIds()).toContain(request.id);

    const mailed = t.mail.length;
    const confirmed = await desk('POST', `/api/v1/requests/${request.id}/confirm-receipt`);
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json().data.acknowledgedAt).not.toBeNull();
    const mail = t.mail.slice(mailed);
    expect(mail.map((message) => message.to)).toEqual(['casey.confirm@example.org']);
    expect(mail[0].subject).toBe('Test workspace received your privacy request');
    expect(mail[0].text).toContain(`on ${request.receivedOn}`);
    expect(mail[0].text).toContain(`by ${request.dueOn}`);

    const read = (await desk('GET', `/api/v1/requests/${request.id}`)).json().data as RequestView;
    expect(read.events?.map((event) => event.action)).toEqual(['receive', 'confirm_receipt']);
    const audited = rowsOf<{ action: string }>(
      await t.database.db.execute(sql`select action from audit_entries where tenant_id = ${workspace.id} and ${request.id}::uuid = any(record_ids)`),
    );
    expect(audited.map((row) => row.action)).toContain('rights_request.confirm_receipt');
    expect(await unconfirmedIds()).not.toContain(request.id);

    const again = await desk('POST', `/api/v1/requests/${request.id}/confirm-receipt`);
    expect(again.statusCode).toBe(409);
    expect(t.mail.length).toBe(mailed + 1);
  });

  it('is past due once the confirm-by date has gone by unconfirmed, and is not asked of a closed request', async () => {
    const request = await createRequest({ email: 'late.confirm@example.org' });
    await setConfirmBy(request.id, -1);
    const listed = ((await desk('GET', '/api/v1/requests?due=unconfirmed&limit=100')).json().data as RequestView[]).find((row) => row.id === request.id);
    expect(listed?.confirmationOverdue).toBe(true);

    const denied = await desk('POST', `/api/v1/requests/${request.id}/deny`, { reason: 'We hold nothing on this address.' });
    expect(denied.statusCode, denied.body).toBe(200);
    expect(denied.json().data.confirmationOverdue).toBe(false);
    expect(await unconfirmedIds()).not.toContain(request.id);
    expect((await desk('POST', `/api/v1/requests/${request.id}/confirm-receipt`)).statusCode).toBe(409);
  });

  it('is not tracked for GDPR requests nor CCPA opt-outs', async () => {
    const gdpr = await createRequest({ regime: 'gdpr', jurisdiction: 'DE', email: 'gdpr.person@example.org' });
    const optOut = await createRequest({ kind: 'opt_out_sale_sharing', email: 'opt.out@example.org' });
    expect([gdpr.acknowledgeBy, optOut.acknowledgeBy]).toEqual([null, null]);
    const unconfirmed = await unconfirmedIds();
    expect(unconfirmed).not.toContain(gdpr.id);
    expect(unconfirmed).not.toContain(optOut.id);
  });
});

describe('the request-deadlines job and confirmations', () => {
  it('reminds of a confirmation due within 3 days and escalates a late one to officers and admins, each once, never a confirmed one', async () => {
    await addUser(t.database.db, { tenantId: workspace.id, email: 'officer@example.com', displayName: 'Officer', role: 'privacy_officer' });
    await addUser(t.database.db, { tenantId: workspace.id, email: 'owner@example.com', displayName: 'Owner', role: 'admin' });
    await t.database.db.execute(sql`update rights_requests set closed_at = now() where tenant_id = ${workspace.id}`);
    const soon = await createRequest({ email: 'soon.confirm@example.org' });
    const late = await createRequest({ email: 'late.again@example.org' });
    const confirmed = await createRequest({ email: 'done.confirm@example.org' });
    await setConfirmBy(soon.id, 2);
    await setConfirmBy(late.id, -1);
    await setConfirmBy(confirmed.id, -1);
    expect((await desk('POST', `/api/v1/requests/${confirmed.id}/confirm-receipt`)).statusCode).toBe(200);

    const notices: DeadlineNotice[] = [];
    const notify = async (notice: DeadlineNotice) => {
      notices.push(notice);
    };
    const first = await remindRequestDeadlines(t.database, notify);
    expect(first).toEqual({ reminded: 0, escalated: 0, confirmationsReminded: 1, confirmationsEscalated: 1, notices: 2 });
    expect(notices.map((notice) => notice.to).sort()).toEqual(['officer@example.com', 'owner@example.com']);
    expect(notices[0]).toMatchObject({ dueSoon: 0, overdue: 0, confirmSoon: 1, confirmOverdue: 1 });
    expect(JSON.stringify(notices)).not.toContain('@example.org');

    expect(await remindRequestDeadlines(t.database, notify)).toEqual({
      reminded: 0,
      escalated: 0,
      confirmationsReminded: 0,
      confirmationsEscalated: 0,
      notices: 0,
    });
    const audited = rowsOf<{ action: string; record_ids: string[] }>(
      await t.database.db.execute(
        sql`select action, record_ids from audit_entries where tenant_id = ${workspace.id} and action like 'rights_request.confirmation_%' order by sequence`,
      ),
    );
    expect(audited.map((row) => [row.action, row.record_ids])).toEqual([
      ['rights_request.confirmation_reminded', [soon.id]],
      ['rights_request.confirmation_escalated', [late.id]],
    ]);
  });
});
