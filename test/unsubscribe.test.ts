import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSmtpMailer } from '../src/mail/smtpMailer.ts';
import type { Mailer } from '../src/mail/mailer.ts';
import { marketingMailHeaders } from '../src/privacy/unsubscribeLinks.ts';
import { testSmtpServer } from './support/receivedMail.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';
import { eventsWithoutTheirNotice } from './support/consentLedger.ts';

/*
 * RFC 8058 one-click unsubscribe: a marketing e-mail sent through a real SMTP server (in
 * process) carries List-Unsubscribe and List-Unsubscribe-Post; the link's GET shows a page
 * and changes nothing; its one-click POST withdraws the consent (or records an objection on
 * legitimate interests) and the very next list for the purpose leaves the person out. A link
 * altered by one byte, or moved to another workspace, acts nowhere.
 */

const publicUrl = 'https://crm.example.org';
const smtp = testSmtpServer();
let mailer: Mailer;
let t: TestApp;
let a: TestWorkspace;
let b: TestWorkspace;
beforeAll(async () => {
  const port = await smtp.listen();
  mailer = createSmtpMailer(`smtp://127.0.0.1:${port}`, 'Candor <news@mail.test>');
  t = await createTestApp({ config: { publicUrl } });
  a = await t.createWorkspace();
  b = await t.createWorkspace();
});
afterAll(async () => {
  await t.close();
  await mailer.close();
  await smtp.close();
});

async function createContact(workspace: TestWorkspace, email: string, consent?: string): Promise<string> {
  const response = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload: { firstName: 'Un', email }, purpose: 'sales' });
  expect(response.statusCode, response.body).toBe(201);
  const id = response.json().data.id as string;
  if (consent) {
    const given = await t.request(workspace.keys.marketing, {
      method: 'POST',
      url: `/api/v1/contacts/${id}/consents`,
      payload: { purposeKey: consent, state: 'given' },
      purpose: consent,
    });
    expect(given.statusCode, given.body).toBe(201);
  }
  return id;
}

const listed = async (workspace: TestWorkspace, purpose: string) =>
  (await t.request(workspace.keys.marketing, { method: 'GET', url: '/api/v1/contacts?limit=100', purpose })).json().data.map((row: { id: string }) => row.id);

const oneClick = (path: string, contentType = 'application/x-www-form-urlencoded', payload = 'List-Unsubscribe=One-Click', remoteAddress = '127.0.0.1') =>
  t.app.inject({ method: 'POST', url: path, headers: { 'content-type': contentType }, payload, remoteAddress });

const pathOf = (url: string) => new URL(url).pathname;

describe('one-click unsubscribe', () => {
  it('sends both RFC 8058 headers over SMTP; GET changes nothing; the one-click POST withdraws, at the next list', async () => {
    const id = await createContact(a, 'un.click@example.org', 'email_marketing');
    const marketing = await marketingMailHeaders(a.id, id, 'email_marketing', publicUrl);
    await mailer.send({ to: 'un.click@example.org', subject: 'Our news', text: `Hello!\n\n${marketing.footer}`, headers: marketing.headers });
    await vi.waitFor(() => expect(smtp.received.filter((mail) => mail.to.includes('un.click@example.org'))).toHaveLength(1));
    const mail = smtp.received.find((candidate) => candidate.to.includes('un.click@example.org'))!;
    expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    const header = /^<(https:\/\/[^>\s]+)>$/.exec(mail.headers['list-unsubscribe'] ?? '');
    expect(header, mail.headers['list-unsubscribe']).not.toBeNull();
    const url = header![1]!;
    expect(url).toBe(marketing.unsubscribeUrl);
    expect(mail.text).toContain(url);
    expect(url).not.toContain('un.click');
    const token = url.split('/').at(-1)!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{76}$/);
    expect(Buffer.from(token, 'base64url').toString('latin1')).not.toMatch(/email_marketing|un\.click/);

    expect(await listed(a, 'email_marketing')).toContain(id);
    const page = await t.app.inject({ method: 'GET', url: pathOf(url) });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<form method="post" action="${pathOf(url)}">`);
    expect(page.body).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(await listed(a, 'email_marketing')).toContain(id);

    const clicked = await oneClick(pathOf(url));
    expect(clicked.statusCode, clicked.body).toBe(200);
    expect(clicked.json()).toEqual({ data: { unsubscribed: true } });
    expect(await listed(a, 'email_marketing')).not.toContain(id);
    const history = (await t.request(a.keys.marketing, { method: 'GET', url: `/api/v1/contacts/${id}/consents`, purpose: 'email_marketing' })).json().data;
    expect(history.map((event: { state: string; channel: string }) => [event.state, event.channel])).toEqual([
      ['given', 'staff'],
      ['withdrawn', 'email_link'],
    ]);
    expect(history[1].evidence).toEqual({ unsubscribe: 'one_click' });

    // Idempotent: a second click (here as multipart/form-data, which RFC 8058 also allows) records nothing more.
    const boundary = 'candor-test-boundary';
    const multipart = `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`;
    const again = await oneClick(pathOf(url), `multipart/form-data; boundary=${boundary}`, multipart);
    expect(again.statusCode, again.body).toBe(200);
    const after = (await t.request(a.keys.marketing, { method: 'GET', url: `/api/v1/contacts/${id}/consents`, purpose: 'email_marketing' })).json().data;
    expect(after).toHaveLength(2);
  });

  it('records an objection for a purpose on legitimate interests', async () => {
    const purpose = 'email_marketing_existing_customers';
    const id = await createContact(a, 'un.soft@example.org');
    expect(await listed(a, purpose)).toContain(id);
    const { unsubscribeUrl } = await marketingMailHeaders(a.id, id, purpose, publicUrl);
    const clicked = await oneClick(pathOf(unsubscribeUrl));
    expect(clicked.statusCode, clicked.body).toBe(200);
    expect(await listed(a, purpose)).not.toContain(id);
    const objections = await t.database.query<{ purpose_key: string }>('select purpose_key from objections where tenant_id = $1 and subject_id = $2', [
      a.id,
      id,
    ]);
    expect(objections.map((row) => row.purpose_key)).toEqual([purpose]);
    expect((await oneClick(pathOf(unsubscribeUrl))).statusCode).toBe(200);
    expect(await t.database.query('select 1 from objections where tenant_id = $1 and subject_id = $2', [a.id, id])).toHaveLength(1);
  });

  it('refuses a token altered in any one byte, and a token of workspace A in workspace B', async () => {
    const id = await createContact(a, 'un.tamper@example.org', 'email_marketing');
    const { unsubscribeUrl } = await marketingMailHeaders(a.id, id, 'email_marketing', publicUrl);
    const token = unsubscribeUrl.split('/').at(-1)!;
    const bytes = Buffer.from(token, 'base64url');
    for (let index = 0; index < bytes.length; index += 1) {
      const altered = Buffer.from(bytes);
      altered[index]! ^= 0x01;
      // From its own loopback address each: failed links are throttled per client.
      const refused = await oneClick(`/api/v1/unsubscribe/${altered.toString('base64url')}`, undefined, undefined, `127.0.1.${index}`);
      expect(refused.statusCode, `byte ${index}`).toBe(404);
    }
    // The same person and purpose, claimed for workspace B: B's key does not sign it.
    const moved = Buffer.from(bytes);
    Buffer.from(b.id.replace(/-/g, ''), 'hex').copy(moved, 1);
    expect((await oneClick(`/api/v1/unsubscribe/${moved.toString('base64url')}`)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/unsubscribe/${moved.toString('base64url')}` })).statusCode).toBe(404);
    // A link B signed for A's contact finds no such contact in B: A's consent stands.
    const { unsubscribeUrl: ofB } = await marketingMailHeaders(b.id, id, 'email_marketing', publicUrl);
    expect((await oneClick(pathOf(ofB))).statusCode).toBe(200);
    expect(await listed(a, 'email_marketing')).toContain(id);

    const withoutBody = await oneClick(pathOf(unsubscribeUrl), 'application/x-www-form-urlencoded', 'List-Unsubscribe=Maybe');
    expect(withoutBody.statusCode).toBe(422);
    expect(await listed(a, 'email_marketing')).toContain(id);
    const viaPage = await t.app.inject({
      method: 'POST',
      url: pathOf(unsubscribeUrl),
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(viaPage.statusCode).toBe(200);
    expect(viaPage.body).toContain('You will receive no more of these e-mails.');
    expect(await listed(a, 'email_marketing')).not.toContain(id);
  });

  it('takes form bodies on the e-mail link routes only', async () => {
    const form = await t.request(a.keys.admin, {
      method: 'POST',
      url: '/api/v1/contacts',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'firstName=Form',
      purpose: 'sales',
    });
    expect(form.statusCode).toBe(415);
  });
});

describe('the notice each event was recorded under', () => {
  it('withdrawals and objections through the link each name the notice version in force and its own hash', async () => {
    const { recorded, unstamped } = await eventsWithoutTheirNotice(t.database, a.id);
    expect(recorded).toBeGreaterThan(0);
    expect(unstamped).toBe(0);
  });
});
