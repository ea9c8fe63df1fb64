import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mailer } from '../src/mail/mailer.ts';
import { createSmtpMailer } from '../src/mail/smtpMailer.ts';
import { giveConsent } from './support/consentLedger.ts';
import { eventually, startTestJobRunner, type TestJobRunner } from './support/jobs.ts';
import { testSmtpServer, type ReceivedMail } from './support/receivedMail.ts';
import { createTestApp, errorFields, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * Issue 12, segments and sends: a campaign to a segment of 200 where 20 withdraw between
 * scheduling and sending delivers exactly 180 messages to a real SMTP server (smtp-server,
 * in process), each with working RFC 8058 headers; the one-click POST to a link withdraws,
 * and the very next campaign leaves that person out. Who receives is decided by the kernel
 * as each batch is sent, and a retried batch mails no one twice.
 */

const publicUrl = 'https://crm.example.org';
const smtp = testSmtpServer();
let mailer: Mailer;
let t: TestApp;
let jobs: TestJobRunner | null = null;

const startJobs = async () => {
  jobs = await startTestJobRunner(t.database, { campaigns: { mailer, publicUrl } });
};
const stopJobs = async () => {
  await jobs?.stop();
  jobs = null;
};

beforeAll(async () => {
  const port = await smtp.listen();
  mailer = createSmtpMailer(`smtp://127.0.0.1:${port}`, 'Candor <news@mail.test>');
  t = await createTestApp({ config: { publicUrl } });
  // The first start creates the queues; campaigns are then scheduled with no runner polling,
  // so what happens between scheduling and sending is the test's to decide.
  await startJobs();
  await stopJobs();
}, 60_000);
afterAll(async () => {
  await stopJobs();
  await t.close();
  await mailer.close();
  await smtp.close();
});

type Json = Record<string, unknown>;
const call = async (
  ws: TestWorkspace,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: Json,
  headers: Record<string, string> = {},
  purpose?: string,
) => t.request(ws.keys.marketing, { method, url: `/api/v1${url}`, ...(payload ? { payload } : {}), headers, ...(purpose ? { purpose } : {}) });

/** Creates `n` subscribers of `tag` in one batch, with live e-mail marketing consent unless `consent` is false. */
async function subscribers(ws: TestWorkspace, tag: string, n: number, consent = true): Promise<Array<{ id: string; email: string }>> {
  const items = Array.from({ length: n }, (_, i) => ({
    op: 'create',
    data: { firstName: `Reader${i}`, email: `${tag}.${i}@example.org`, lifecycleStage: 'subscriber' },
  }));
  const created = await t.request(ws.keys.admin, { method: 'POST', url: '/api/v1/contacts/batch', payload: { mode: 'atomic', items }, purpose: 'sales' });
  expect(created.statusCode, created.body).toBe(200);
  const people = (created.json().data as Array<{ id: string }>).map((row, i) => ({ id: row.id, email: `${tag}.${i}@example.org` }));
  // Given straight into the ledger (200 requests would only slow the test); withdrawals below go through its API.
  if (consent) for (const person of people) await giveConsent(t.database.db, ws.id, person.id, 'email_marketing');
  return people;
}

async function withdraw(ws: TestWorkspace, id: string): Promise<void> {
  const response = await call(ws, 'POST', `/contacts/${id}/consents`, { purposeKey: 'email_marketing', state: 'withdrawn' }, {}, 'email_marketing');
  expect(response.statusCode, response.body).toBe(201);
}

async function createSegment(ws: TestWorkspace, name: string, filters: Json): Promise<string> {
  const response = await call(ws, 'POST', '/segments', { name, filters });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().data.id;
}

async function createCampaign(ws: TestWorkspace, segmentId: string, extra: Json = {}): Promise<{ id: string; etag: string }> {
  const response = await call(ws, 'POST', '/campaigns', {
    name: 'Spring news',
    segmentId,
    purposeKey: 'email_marketing',
    subject: 'Our spring news',
    textBody: 'Hello!\n\nThe spring catalogue is out.',
    ratePerSecond: 50,
    ...extra,
  });
  expect(response.statusCode, response.body).toBe(201);
  return { id: response.json().data.id, etag: String(response.headers.etag) };
}

async function schedule(ws: TestWorkspace, campaign: { id: string; etag: string }, sendAt?: Date) {
  const response = await call(ws, 'POST', `/campaigns/${campaign.id}/schedule`, sendAt ? { sendAt: sendAt.toISOString() } : {}, { 'if-match': campaign.etag });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().data;
}

const finished = (ws: TestWorkspace, id: string) =>
  eventually(
    async () => {
      const data = (await call(ws, 'GET', `/campaigns/${id}`)).json().data;
      return data.status === 'sent' ? data : null;
    },
    { timeoutMs: 90_000, intervalMs: 200, what: 'the campaign to be sent' },
  );

const mailTo = (emails: Set<string>) => smtp.received.filter((mail) => mail.to.some((to) => emails.has(to)));
const listUnsubscribe = (mail: ReceivedMail) => /^<(https?:\/\/[^>\s]+)>$/.exec(mail.headers['list-unsubscribe'] ?? '')?.[1];

describe('a campaign to a segment', () => {
  it('delivers exactly 180 of 200 when 20 withdraw between scheduling and sending, each with working RFC 8058 headers', async () => {
    const ws = await t.createWorkspace();
    const people = await subscribers(ws, 'spring', 200);
    const segmentId = await createSegment(ws, 'Subscribers who want news', {
      lifecycleStage: ['subscriber'],
      consent: [{ purposeKey: 'email_marketing', live: true }],
    });
    const preview = (await call(ws, 'GET', `/segments/${segmentId}/preview?limit=5`, undefined, {}, 'email_marketing')).json();
    expect(preview.data.total).toBe(200);
    expect(preview.data.members).toHaveLength(5);

    const campaign = await createCampaign(ws, segmentId);
    expect((await schedule(ws, campaign)).status).toBe('scheduled');
    const withdrawing = people.slice(0, 20);
    for (const person of withdrawing) await withdraw(ws, person.id);

    await startJobs();
    const sent = await finished(ws, campaign.id);
    expect(sent.deliveries).toEqual({ queued: 0, sending: 0, sent: 180, skipped: 0, failed: 0 });
    await stopJobs();

    const emails = new Set(people.map((person) => person.email));
    const received = mailTo(emails);
    expect(received).toHaveLength(180);
    const withdrawn = new Set(withdrawing.map((person) => person.email));
    expect(received.filter((mail) => mail.to.some((to) => withdrawn.has(to)))).toEqual([]);
    expect(new Set(received.flatMap((mail) => mail.to)).size).toBe(180);
    for (const mail of received) {
      expect(mail.headers.subject).toBe('Our spring news');
      expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
      const url = listUnsubscribe(mail);
      expect(url, mail.headers['list-unsubscribe']).toBeDefined();
      expect(url!.startsWith(`${publicUrl}/api/v1/unsubscribe/`)).toBe(true);
      expect(mail.text).toContain('The spring catalogue is out.');
      expect(mail.text).toContain(url);
    }

    // An RFC 8058 one-click POST to one person's link withdraws their consent…
    const chosen = received[0]!;
    const address = chosen.to[0]!;
    const person = people.find((candidate) => candidate.email === address)!;
    const clicked = await t.app.inject({
      method: 'POST',
      url: new URL(listUnsubscribe(chosen)!).pathname,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(clicked.statusCode, clicked.body).toBe(200);
    const history = (await call(ws, 'GET', `/contacts/${person.id}/consents`, undefined, {}, 'email_marketing')).json().data;
    expect(history.at(-1)).toMatchObject({ state: 'withdrawn', channel: 'email_link' });

    // …and the very next campaign to the same segment leaves them out.
    const before = smtp.received.length;
    const next = await createCampaign(ws, segmentId, { subject: 'Summer news' });
    await schedule(ws, next);
    await startJobs();
    expect((await finished(ws, next.id)).deliveries.sent).toBe(179);
    await stopJobs();
    const summer = smtp.received.slice(before).filter((mail) => mail.headers.subject === 'Summer news');
    expect(summer).toHaveLength(179);
    expect(summer.some((mail) => mail.to.includes(address))).toBe(false);

    // Deliveries and the audit trail name ids and pseudonyms, never an address.
    const rows = await t.database.query<Json>('select * from campaign_deliveries where tenant_id = $1', [ws.id]);
    expect(JSON.stringify(rows)).not.toContain('@example.org');
    const audit = await t.database.query<Json>("select * from audit_entries where tenant_id = $1 and action like 'campaign.%'", [ws.id]);
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toContain('@example.org');
  }, 180_000);

  it('asks the kernel as each batch is sent: people without live consent in the segment are skipped, not mailed', async () => {
    const ws = await t.createWorkspace();
    const consenting = await subscribers(ws, 'mixed-yes', 6);
    const others = await subscribers(ws, 'mixed-no', 4, false);
    const segmentId = await createSegment(ws, 'All subscribers', { lifecycleStage: ['subscriber'] });
    const campaign = await createCampaign(ws, segmentId, { subject: 'Mixed news', htmlBody: '<p>The <b>spring</b> catalogue is out.</p>' });
    await schedule(ws, campaign);
    await startJobs();
    const sent = await finished(ws, campaign.id);
    await stopJobs();
    expect(sent.deliveries).toMatchObject({ sent: 6, skipped: 4, failed: 0, queued: 0 });
    const received = mailTo(new Set([...consenting, ...others].map((person) => person.email)));
    expect(received.map((mail) => mail.to[0]).sort()).toEqual(consenting.map((person) => person.email).sort());
    // With an HTML body the message is multipart/alternative, the headers the same.
    expect(received[0]!.headers['content-type']).toMatch(/^multipart\/alternative/);
    expect(received[0]!.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
  }, 120_000);

  it('never mails a person twice when a batch is retried, and sends nothing once cancelled', async () => {
    const ws = await t.createWorkspace();
    const people = await subscribers(ws, 'retry', 4);
    const segmentId = await createSegment(ws, 'Retry subscribers', { lifecycleStage: ['subscriber'] });
    const campaign = await createCampaign(ws, segmentId, { subject: 'Retried news' });
    await schedule(ws, campaign);
    // A batch that crashed after marking two people `sending` (their mail may have left).
    await t.database.query(`insert into campaign_deliveries (tenant_id, campaign_id, contact_id, state) select $1, $2, unnest($3::uuid[]), 'sending'`, [
      ws.id,
      campaign.id,
      people.slice(0, 2).map((person) => person.id),
    ]);
    await startJobs();
    const sent = await finished(ws, campaign.id);
    await stopJobs();
    expect(sent.deliveries).toMatchObject({ sent: 2, failed: 2, skipped: 0 });
    expect(mailTo(new Set(people.slice(0, 2).map((person) => person.email)))).toEqual([]);

    const later = await createCampaign(ws, segmentId, { subject: 'Cancelled news' });
    const scheduled = await schedule(ws, later, new Date(Date.now() + 500));
    const cancelled = await call(ws, 'POST', `/campaigns/${later.id}/cancel`, undefined, { 'if-match': `"${scheduled.version}"` });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json().data.status).toBe('cancelled');
    await startJobs();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await stopJobs();
    expect(smtp.received.filter((mail) => mail.headers.subject === 'Cancelled news')).toEqual([]);
    expect((await call(ws, 'GET', `/campaigns/${later.id}`)).json().data).toMatchObject({ status: 'cancelled', deliveries: { sent: 0 } });
  }, 120_000);
});

describe('campaign input', () => {
  it('refuses bad campaigns with problem+json naming the field', async () => {
    const ws = await t.createWorkspace();
    const segmentId = await createSegment(ws, 'Anyone', {});
    const base = { name: 'News', segmentId, purposeKey: 'email_marketing', subject: 'News', textBody: 'Hello' };
    const refused = async (payload: Json, field: string, status = 422) => {
      const response = await call(ws, 'POST', '/campaigns', payload);
      expect(response.statusCode, response.body).toBe(status);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(errorFields(response.json())).toContain(field);
    };
    await refused({ ...base, purposeKey: 'sales' }, 'purposeKey');
    await refused({ ...base, purposeKey: 'no_such_purpose' }, 'purposeKey');
    await refused({ ...base, segmentId: '00000000-0000-4000-8000-000000000000' }, 'segmentId');
    await refused({ ...base, subject: '' }, 'subject');
    await refused({ ...base, ratePerSecond: 0 }, 'ratePerSecond');
    const unknown = await call(ws, 'POST', '/campaigns', { ...base, colour: 'red' });
    expect(unknown.statusCode).toBe(422);
    expect(JSON.stringify(unknown.json().errors)).toContain('colour');
    const { subject: _subject, ...withoutSubject } = base;
    await refused(withoutSubject, 'subject');

    const created = await createCampaign(ws, segmentId);
    const noIfMatch = await call(ws, 'PATCH', `/campaigns/${created.id}`, { subject: 'Changed' });
    expect(noIfMatch.statusCode).toBe(428);
    const changed = await call(ws, 'PATCH', `/campaigns/${created.id}`, { subject: 'Changed' }, { 'if-match': created.etag });
    expect(changed.statusCode, changed.body).toBe(200);
    const stale = await call(ws, 'POST', `/campaigns/${created.id}/schedule`, {}, { 'if-match': created.etag });
    expect(stale.statusCode).toBe(412);
    const scheduled = await schedule(ws, { id: created.id, etag: String(changed.headers.etag) }, new Date(Date.now() + 3_600_000));
    const again = await call(ws, 'PATCH', `/campaigns/${created.id}`, { subject: 'Too late' }, { 'if-match': `"${scheduled.version}"` });
    expect(again.statusCode).toBe(409);
    expect(errorFields(again.json())).toEqual(['status']);
    const deleteWhileScheduled = await call(ws, 'DELETE', `/campaigns/${created.id}`);
    expect(deleteWhileScheduled.statusCode).toBe(409);
    const segmentInUse = await call(ws, 'DELETE', `/segments/${segmentId}`);
    expect(segmentInUse.statusCode).toBe(409);
    expect((await call(ws, 'POST', `/campaigns/${created.id}/cancel`)).statusCode).toBe(200);

    const analyst = await t.request(ws.keys.analyst, { method: 'GET', url: '/api/v1/campaigns' });
    expect(analyst.statusCode).toBe(403);
    const listed = (await call(ws, 'GET', '/campaigns?status=cancelled')).json().data;
    expect(listed.map((row: { id: string }) => row.id)).toEqual([created.id]);
  });
});
