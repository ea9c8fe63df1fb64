import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/rows.ts';
import { rowCountDelta, workspaceRowCounts } from './support/tenantRowCount.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * The privacy portal's requests and their verification attacks: an unknown address gets the
 * same answer and causes the same work as a known one; a code works once, for 15 minutes,
 * and five wrong ones lock the request; a link opened with GET verifies nothing, and works
 * once; requests are limited per address; Sec-GPC: 1 opts the address holder out of sale and
 * sharing; one workspace's codes do nothing in another.
 */

let t: TestApp;
let workspace: TestWorkspace;
let other: TestWorkspace;
let clients = 0;
beforeAll(async () => {
  t = await createTestApp({ config: { publicUrl: 'https://crm.example.org' } });
  workspace = await t.createWorkspace();
  other = await t.createWorkspace();
});
afterAll(() => t.close());

/** A fresh client address per call site, so the per-client limits of one test do not reach the next. */
const newClient = () => {
  clients += 1;
  return `198.51.100.${clients}`;
};

async function createContact(email: string): Promise<string> {
  const response = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload: { firstName: 'Pat', email }, purpose: 'sales' });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().data.id;
}

const submit = (payload: Record<string, unknown>, options: { client?: string; headers?: Record<string, string>; slug?: string } = {}) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/portal/${options.slug ?? workspace.slug}/requests`,
    payload: { kind: 'access', ...payload },
    remoteAddress: options.client ?? newClient(),
    headers: options.headers,
  });

const verifyCode = (requestId: string, code: string, client = newClient(), slug = workspace.slug) =>
  t.app.inject({ method: 'POST', url: `/api/v1/portal/${slug}/requests/${requestId}/verify`, payload: { code }, remoteAddress: client });

const postLink = (token: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/portal/verify',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    payload: new URLSearchParams({ token }).toString(),
    remoteAddress: newClient(),
  });

/** The code and link of the last mail, which must have gone to `email`. */
function lastMail(email: string): { code: string; token: string; path: string } {
  const mail = t.mail.at(-1)!;
  expect(mail.to).toBe(email);
  const code = /^ {2}(\d{6})$/m.exec(mail.text)![1];
  const url = new URL(/https:\/\/crm\.example\.org\/\S+/.exec(mail.text)![0]);
  return { code, token: url.searchParams.get('token')!, path: `${url.pathname}${url.search}` };
}

async function submitted(email: string, extra: Record<string, unknown> = {}) {
  const response = await submit({ email, ...extra });
  expect(response.statusCode, response.body).toBe(202);
  return { requestId: response.json().data.requestId as string, ...lastMail(email) };
}

const stateOf = async (id: string) => rowsOf<{ state: string }>(await t.database.db.execute(sql`select state from rights_requests where id = ${id}`))[0].state;

const rowCounts = (tenantId: string) => workspaceRowCounts(t.database, tenantId);
const delta = rowCountDelta;

describe('a portal request for an unknown address', () => {
  it('gets the same answer, the same mail and causes the same work as one for a known address', async () => {
    await createContact('known.person@example.org');
    // Seal once in each run before measuring, so key creation on first use does not count.
    await submitted('warm.up@example.org');
    const runs = [];
    for (const email of ['known.person@example.org', 'nobody.here@example.org']) {
      const before = await rowCounts(workspace.id);
      const mailsBefore = t.mail.length;
      // With Sec-GPC: 1 too: the signal is noted alike, and honoured only once verified.
      const response = await submit({ email }, { headers: { 'sec-gpc': '1' } });
      const after = await rowCounts(workspace.id);
      runs.push({ response, mails: t.mail.slice(mailsBefore), work: delta(before, after) });
    }
    const [known, unknown] = runs;
    expect(known.response.statusCode).toBe(202);
    expect(unknown.response.statusCode).toBe(known.response.statusCode);
    const shape = (body: string) => JSON.stringify(JSON.parse(body), (_key, value) => (typeof value === 'string' ? typeof value : value));
    expect(shape(unknown.response.body)).toBe(shape(known.response.body));
    expect(Object.keys(unknown.response.headers).sort()).toEqual(Object.keys(known.response.headers).sort());
    expect(known.mails).toHaveLength(1);
    expect(unknown.mails).toHaveLength(1);
    const text = (mail: { text: string }) =>
      mail.text
        .replace(/\d{6}/g, 'CODE')
        .replace(/token=\S+/, 'token=T')
        .replace(/\(\d{4}-[^)]+\)/, '(TIME)');
    expect(text(unknown.mails[0])).toBe(text(known.mails[0]));
    expect(unknown.mails[0].subject).toBe(known.mails[0].subject);
    // The same rows in every table: the trail names the contact only once the request is verified.
    expect(unknown.work).toEqual(known.work);
    expect(unknown.work).toMatchObject({ rights_requests: 1, rights_request_events: 3, subject_keys: 1 });
  });
});

describe('verification by code', () => {
  it('verifies the request once; the same code again, and the link after it, fail', async () => {
    const { requestId, code, token } = await submitted('code.once@example.org');
    expect(await stateOf(requestId)).toBe('awaiting_verification');
    const verified = await verifyCode(requestId, code);
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json().data).toEqual({ requestId, state: 'verified' });
    expect(await stateOf(requestId)).toBe('verified');
    const replayed = await verifyCode(requestId, code);
    expect(replayed.statusCode).toBe(422);
    expect(replayed.json().errors ?? replayed.json()).toBeDefined();
    expect(replayed.body).toContain('already used');
    expect((await postLink(token)).statusCode).toBe(422);
  });

  it('locks the request after five wrong codes: the right code then fails too', async () => {
    const { requestId, code } = await submitted('five.wrong@example.org');
    const wrong = code === '000000' ? '111111' : '000000';
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const refused = await verifyCode(requestId, wrong);
      expect(refused.statusCode).toBe(422);
      expect(refused.body).toContain('is not the one we sent');
    }
    const locked = await verifyCode(requestId, code);
    expect(locked.statusCode).toBe(422);
    expect(locked.body).toContain('too often');
    expect(await stateOf(requestId)).toBe('awaiting_verification');

    // A new code, mailed to the same address, unlocks it; the old one stays dead.
    const resend = () => t.app.inject({ method: 'POST', url: `/api/v1/portal/${workspace.slug}/requests/${requestId}/resend`, remoteAddress: newClient() });
    const resent = await resend();
    expect(resent.statusCode, resent.body).toBe(202);
    const fresh = lastMail('five.wrong@example.org').code;
    if (fresh !== code) expect((await verifyCode(requestId, code)).statusCode).toBe(422);
    expect((await verifyCode(requestId, fresh)).statusCode).toBe(200);
    expect((await resend()).statusCode).toBe(409);
    expect((await resend()).statusCode).toBe(409);
    expect((await resend()).statusCode).toBe(429);
  });

  it('fails once the code has expired', async () => {
    const { requestId, code } = await submitted('too.late@example.org');
    await t.database.db.execute(sql`update rights_requests set verification_expires_at = now() - interval '1 second' where id = ${requestId}`);
    const expired = await verifyCode(requestId, code);
    expect(expired.statusCode).toBe(422);
    expect(expired.body).toContain('expired');
    expect(await stateOf(requestId)).toBe('awaiting_verification');
  });

  it("does nothing in another workspace's portal", async () => {
    const { requestId, code } = await submitted('other.portal@example.org');
    const elsewhere = await verifyCode(requestId, code, newClient(), other.slug);
    expect(elsewhere.statusCode).toBe(422);
    expect(await stateOf(requestId)).toBe('awaiting_verification');
    expect((await verifyCode(requestId, code)).statusCode).toBe(200);
  });
});

describe('verification by link', () => {
  it('shows a page with a button on GET (verifying nothing), verifies on POST, and fails when replayed', async () => {
    const { requestId, token, path } = await submitted('link.user@example.org');
    for (const method of ['GET', 'HEAD'] as const) {
      const opened = await t.app.inject({ method, url: path });
      expect(opened.statusCode).toBe(200);
      expect(opened.headers['content-type']).toMatch(/^text\/html/);
    }
    const page = await t.app.inject({ method: 'GET', url: path });
    expect(page.body).toContain('<form method="post" action="/api/v1/portal/verify">');
    expect(page.body).not.toContain('link.user@example.org');
    expect(await stateOf(requestId)).toBe('awaiting_verification');

    const verified = await postLink(token);
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json().data).toEqual({ requestId, state: 'verified' });
    const replayed = await postLink(token);
    expect(replayed.statusCode).toBe(422);
    expect(replayed.body).toContain('already used');
    // The page's button, replayed from the browser, gets a page saying why.
    const asPage = await t.app.inject({
      method: 'POST',
      url: '/api/v1/portal/verify',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: new URLSearchParams({ token }).toString(),
      remoteAddress: newClient(),
    });
    expect(asPage.statusCode).toBe(422);
    expect(asPage.headers['content-type']).toMatch(/^text\/html/);
    expect(asPage.body).toContain('was already used');
  });

  it('refuses an altered link and counts it as a wrong try', async () => {
    const { requestId, token } = await submitted('altered.link@example.org');
    const altered = `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    expect((await postLink(altered)).statusCode).toBe(422);
    const [row] = rowsOf<{ verification_attempts: number }>(
      await t.database.db.execute(sql`select verification_attempts from rights_requests where id = ${requestId}`),
    );
    expect(Number(row.verification_attempts)).toBe(1);
    expect((await postLink(token)).statusCode).toBe(200);
  });
});

describe('portal requests', () => {
  it('are limited per address, known or not, whatever the client', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1) statuses.push((await submit({ email: 'limited@example.org' })).statusCode);
    expect(statuses).toEqual([202, 202, 202, 429]);
  });

  it('count an address written another way (a mailto: prefix, capitals) as the address the code is mailed to', async () => {
    const written = ['limited.twice@example.org', 'mailto:limited.twice@example.org', 'MAILTO:Limited.Twice@Example.org', 'limited.twice@example.org'];
    const statuses: number[] = [];
    for (const email of written) statuses.push((await submit({ email })).statusCode);
    expect(statuses).toEqual([202, 202, 202, 429]);
  });

  it('opt the address holder out of sale and sharing when the browser sent Sec-GPC: 1, once the request is verified', async () => {
    const contactId = await createContact('gpc.person@example.org');
    const response = await submit({ email: 'gpc.person@example.org', kind: 'opt_out_sale_sharing', regime: 'ccpa' }, { headers: { 'sec-gpc': '1' } });
    expect(response.statusCode, response.body).toBe(202);
    const optOuts = async () => {
      const ledger = await t.request(workspace.keys.privacy_officer, {
        method: 'GET',
        url: `/api/v1/contacts/${contactId}/consents`,
        purpose: 'legal_compliance',
      });
      return (ledger.json().data as Array<{ state: string; channel: string; purposeKey: string }>).filter((event) => event.channel === 'gpc');
    };
    expect(await optOuts()).toEqual([]);
    const { code } = lastMail('gpc.person@example.org');
    expect((await verifyCode(response.json().data.requestId, code)).statusCode).toBe(200);
    expect(await optOuts()).toContainEqual(expect.objectContaining({ state: 'opted_out', channel: 'gpc', purposeKey: 'third_party_sharing' }));
  });

  it('are refused with 404 for a workspace that does not exist, and 422 naming email for an address that is none', async () => {
    expect((await submit({ email: 'x@example.org' }, { slug: 'no-such-workspace' })).statusCode).toBe(404);
    const invalid = await submit({ email: 'not an address' });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.body).toContain('email');
  });
});
