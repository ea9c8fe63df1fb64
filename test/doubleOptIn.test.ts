import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorFields, type TestApp, type TestWorkspace } from './support/testApp.ts';
import { eventsWithoutTheirNotice } from './support/consentLedger.ts';

/*
 * Double opt-in: staff ask a contact to confirm consent to e-mail marketing; the consent is
 * not live (nothing in the ledger) until the person uses the mailed link; opening the link
 * (GET, as a mail scanner does) confirms nothing; the button's POST records `given` with
 * channel email_link; the link works once and expires.
 */

let t: TestApp;
let workspace: TestWorkspace;
beforeAll(async () => {
  t = await createTestApp({ config: { publicUrl: 'https://crm.example.org', doubleOptInLinkHours: 24 } });
  workspace = await t.createWorkspace();
});
afterAll(() => t.close());

const marketing = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
  t.request(workspace.keys.marketing, { method, url, payload, purpose: 'email_marketing' });

async function createContact(email: string): Promise<string> {
  const response = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload: { firstName: 'Opt', email }, purpose: 'sales' });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().data.id;
}

const listedForMarketing = async () => (await marketing('GET', '/api/v1/contacts?limit=100')).json().data.map((row: { id: string }) => row.id);
const ledgerOf = async (id: string) => (await marketing('GET', `/api/v1/contacts/${id}/consents`)).json().data as Array<Record<string, unknown>>;

/** Asks the contact to confirm and returns the link's path and token from the e-mail sent. */
async function askToConfirm(id: string, email: string): Promise<{ path: string; token: string }> {
  const before = t.mail.length;
  const asked = await marketing('POST', `/api/v1/contacts/${id}/consents/double-opt-in`, { purposeKey: 'email_marketing', note: 'Ticked the box at the fair' });
  expect(asked.statusCode, asked.body).toBe(202);
  expect(asked.json().data).toMatchObject({ status: 'pending', contactId: id, purposeKey: 'email_marketing' });
  expect(t.mail).toHaveLength(before + 1);
  const mail = t.mail.at(-1)!;
  expect(mail.to).toBe(email);
  const url = new URL(/https:\/\/crm\.example\.org\/\S+/.exec(mail.text)![0]);
  expect(url.pathname).toBe('/api/v1/consents/confirm');
  return { path: `${url.pathname}${url.search}`, token: url.searchParams.get('token')! };
}

const confirm = (token: string, accept = 'application/json') =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/consents/confirm',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept },
    payload: new URLSearchParams({ token }).toString(),
  });

describe('double opt-in', () => {
  it('is not live before the confirmation link is used, and live after; the link opened with GET confirms nothing', async () => {
    const id = await createContact('opt.in@example.org');
    const { path, token } = await askToConfirm(id, 'opt.in@example.org');
    expect(t.mail.at(-1)!.text).toContain('Sending newsletters and offers');
    expect(await listedForMarketing()).not.toContain(id);
    expect(await ledgerOf(id)).toEqual([]);

    // A mail scanner prefetching the link (GET and HEAD) gets a page with a button, and nothing changes.
    for (const method of ['GET', 'HEAD'] as const) {
      const opened = await t.app.inject({ method, url: path });
      expect(opened.statusCode).toBe(200);
      expect(opened.headers['content-type']).toMatch(/^text\/html/);
    }
    const page = await t.app.inject({ method: 'GET', url: path });
    expect(page.body).toContain('<form method="post" action="/api/v1/consents/confirm">');
    expect(page.body).not.toContain('opt.in@example.org');
    expect(page.headers['content-security-policy']).toContain("form-action 'self'");
    expect(await listedForMarketing()).not.toContain(id);
    expect(await ledgerOf(id)).toEqual([]);

    const confirmed = await confirm(token);
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json().data).toMatchObject({ purposeKey: 'email_marketing', state: 'given' });
    expect(confirmed.body).not.toContain('opt.in@example.org');
    expect(await listedForMarketing()).toContain(id);
    const [event] = await ledgerOf(id);
    expect(event).toMatchObject({ state: 'given', channel: 'email_link', actor: 'system:email-link' });
    expect(event!.evidence).toMatchObject({ note: 'Ticked the box at the fair', requestedVia: 'staff' });
  });

  it('refuses a replayed link, and does not ask again while the consent is live', async () => {
    const id = await createContact('opt.replay@example.org');
    const { token } = await askToConfirm(id, 'opt.replay@example.org');
    expect((await confirm(token)).statusCode).toBe(200);
    const replayed = await confirm(token);
    expect(replayed.statusCode).toBe(422);
    expect(errorFields(replayed.json())).toEqual(['token']);
    expect(replayed.json().errors[0].reason).toMatch(/^already used/);
    expect(await ledgerOf(id)).toHaveLength(1);

    const before = t.mail.length;
    const again = await marketing('POST', `/api/v1/contacts/${id}/consents/double-opt-in`, { purposeKey: 'email_marketing' });
    expect(again.statusCode).toBe(202);
    expect(again.json().data).toMatchObject({ status: 'already_live', requestId: null });
    expect(t.mail).toHaveLength(before);
  });

  it('refuses an expired link, and a browser gets a page saying so', async () => {
    const id = await createContact('opt.expired@example.org');
    const { token } = await askToConfirm(id, 'opt.expired@example.org');
    const [request] = await t.database.query<{ requested_at: Date; expires_at: Date }>(
      'select requested_at, expires_at from consent_requests where tenant_id = $1 and subject_id = $2',
      [workspace.id, id],
    );
    // The configured lifetime (24 hours here) sets the expiry.
    expect(new Date(request!.expires_at).getTime() - new Date(request!.requested_at).getTime()).toBe(24 * 60 * 60 * 1000);
    await t.database.query(
      "update consent_requests set requested_at = now() - interval '3 days', expires_at = now() - interval '1 day' where tenant_id = $1 and subject_id = $2",
      [workspace.id, id],
    );
    const expired = await confirm(token);
    expect(expired.statusCode).toBe(422);
    expect(expired.json().errors[0]).toMatchObject({ field: 'token', reason: expect.stringMatching(/^expired at .*ask for a new confirmation e-mail$/) });
    const page = await confirm(token, 'text/html');
    expect(page.statusCode).toBe(422);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('This link cannot be used: expired at');
    expect(await listedForMarketing()).not.toContain(id);
    expect(await ledgerOf(id)).toEqual([]);
  });

  it('refuses an altered or made-up token, and a purpose not on the consent basis', async () => {
    const id = await createContact('opt.altered@example.org');
    const { token } = await askToConfirm(id, 'opt.altered@example.org');
    const altered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const bad of [altered, 'not-a-token']) {
      const refused = await confirm(bad);
      expect(refused.statusCode).toBe(422);
      expect(refused.json().errors[0]).toMatchObject({ field: 'token', reason: expect.stringMatching(/^not a confirmation link/) });
    }
    expect(await ledgerOf(id)).toEqual([]);
    const page = await confirm(token, 'text/html,application/xhtml+xml');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Your consent is confirmed');

    const legitimate = await marketing('POST', `/api/v1/contacts/${id}/consents/double-opt-in`, { purposeKey: 'email_marketing_existing_customers' });
    expect(legitimate.statusCode).toBe(422);
    expect(errorFields(legitimate.json())).toEqual(['purposeKey']);
    const missing = await marketing('POST', '/api/v1/contacts/0190f5b4-0000-7000-8000-000000000000/consents/double-opt-in', { purposeKey: 'email_marketing' });
    expect(missing.statusCode).toBe(404);
  });

  it('keeps the pending evidence sealed and the secret unstored', async () => {
    const id = await createContact('opt.sealed@example.org');
    const { token } = await askToConfirm(id, 'opt.sealed@example.org');
    const rows = await t.database.query<Record<string, unknown>>('select * from consent_requests where tenant_id = $1 and subject_id = $2', [workspace.id, id]);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain('Ticked the box');
    expect(stored).not.toContain(token.split('.')[2]);
  });
});

describe('the notice each event was recorded under', () => {
  it('double opt-in confirmations each name the notice version in force and its own hash', async () => {
    const { recorded, unstamped } = await eventsWithoutTheirNotice(t.database, workspace.id);
    expect(recorded).toBeGreaterThan(0);
    expect(unstamped).toBe(0);
  });
});
