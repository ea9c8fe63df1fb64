import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/rows.ts';
import { forgetEndedPortalSignIns, forgetPortalSignIns } from '../src/kernel/index.ts';
import { enterCode, mailedCode, newPortalClient, portalCookieOf, portalRequest, signedIn, startSignIn } from './support/portalSessions.ts';
import { rowCountDelta, workspaceRowCounts } from './support/tenantRowCount.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * Signing in to the customer privacy portal: an unknown address gets the same answer, rows
 * and mail as a known one; a code works once, for 15 minutes, and five wrong ones lock the
 * sign-in; the session cookie is HttpOnly, SameSite=Strict, Secure on https and sent only to
 * the workspace's portal; changes need the CSRF token; a session of one workspace is nothing
 * in another; signing out ends it at once.
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

async function createContact(email: string): Promise<string> {
  const response = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload: { firstName: 'Pat', email }, purpose: 'sales' });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().data.id;
}

const rowCounts = (tenantId: string) => workspaceRowCounts(t.database, tenantId);
const delta = rowCountDelta;

const signInRow = async (id: string) =>
  rowsOf<{ attempts: number; used_at: string | null }>(await t.database.db.execute(sql`select attempts, used_at from portal_sign_ins where id = ${id}`))[0];

describe('signing in to the portal', () => {
  it('answers, stores and mails the same for an address nobody holds as for a known one', async () => {
    await createContact('known.portal@example.org');
    // Seal once before measuring, so key creation on first use does not count.
    await startSignIn(t, workspace.slug, 'warm.up@example.org');
    const runs = [];
    for (const email of ['known.portal@example.org', 'nobody.portal@example.org']) {
      const before = await rowCounts(workspace.id);
      const mailsBefore = t.mail.length;
      const response = await startSignIn(t, workspace.slug, email);
      runs.push({ response, mails: t.mail.slice(mailsBefore), work: delta(before, await rowCounts(workspace.id)) });
    }
    const [known, unknown] = runs;
    expect(known.response.statusCode).toBe(202);
    expect(unknown.response.statusCode).toBe(202);
    const shape = (body: string) => JSON.stringify(JSON.parse(body), (_key, value) => (typeof value === 'string' ? typeof value : value));
    expect(shape(unknown.response.body)).toBe(shape(known.response.body));
    expect(Object.keys(unknown.response.headers).sort()).toEqual(Object.keys(known.response.headers).sort());
    expect(known.mails).toHaveLength(1);
    expect(unknown.mails).toHaveLength(1);
    const text = (mail: { text: string }) => mail.text.replace(/\d{6}/g, 'CODE').replace(/\(\d{4}-[^)]+\)/, '(TIME)');
    expect(text(unknown.mails[0])).toBe(text(known.mails[0]));
    expect(unknown.mails[0].subject).toBe(known.mails[0].subject);
    expect(unknown.work).toEqual(known.work);
    expect(unknown.work).toMatchObject({ portal_sign_ins: 1, subject_keys: 1 });
  });

  it('never stores the address in the clear', async () => {
    const started = await startSignIn(t, workspace.slug, 'sealed.address@example.org');
    expect(started.statusCode).toBe(202);
    const [row] = rowsOf<{ row: string }>(
      await t.database.db.execute(sql`select t::text as row from portal_sign_ins t where id = ${started.json().data.signInId}`),
    );
    expect(row.row).not.toContain('sealed.address');
  });

  it('limits sign-ins per address, whoever holds it', async () => {
    const statuses = [];
    for (let attempt = 0; attempt < 6; attempt += 1) statuses.push((await startSignIn(t, workspace.slug, 'many.codes@example.org')).statusCode);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
  });

  it('counts an address written another way (a mailto: prefix, capitals) as the address the code is mailed to', async () => {
    const written = ['twice.written@example.org', 'mailto:twice.written@example.org', 'MAILTO:Twice.Written@Example.org'];
    const statuses = [];
    for (let attempt = 0; attempt < 6; attempt += 1) statuses.push((await startSignIn(t, workspace.slug, written[attempt % 3])).statusCode);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
  });

  it('answers 404 for a workspace that does not exist', async () => {
    expect((await startSignIn(t, 'no-such-workspace', 'anyone@example.org')).statusCode).toBe(404);
  });
});

describe('the sign-in code', () => {
  it('opens a session once: the same code again fails', async () => {
    const started = await startSignIn(t, workspace.slug, 'code.once@example.org');
    const signInId = started.json().data.signInId;
    const code = mailedCode(t, 'code.once@example.org');
    const verified = await enterCode(t, workspace.slug, signInId, code);
    expect(verified.statusCode, verified.body).toBe(200);
    expect(Object.keys(verified.json().data).sort()).toEqual(['csrfToken', 'expiresAt']);
    const replayed = await enterCode(t, workspace.slug, signInId, code);
    expect(replayed.statusCode).toBe(422);
    expect(replayed.json().errors).toEqual([{ field: 'code', reason: 'was already used' }]);
  });

  it('locks the sign-in after five wrong codes: the right code then fails too', async () => {
    const started = await startSignIn(t, workspace.slug, 'five.wrong@example.org');
    const signInId = started.json().data.signInId;
    const code = mailedCode(t, 'five.wrong@example.org');
    const wrong = code === '000000' ? '111111' : '000000';
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const refused = await enterCode(t, workspace.slug, signInId, wrong);
      expect(refused.statusCode).toBe(422);
      expect(refused.json().errors).toEqual([{ field: 'code', reason: 'is not the one we sent' }]);
    }
    expect((await signInRow(signInId)).attempts).toBe(5);
    const locked = await enterCode(t, workspace.slug, signInId, code);
    expect(locked.statusCode).toBe(422);
    expect(locked.body).toContain('too often');
    expect(locked.cookies).toEqual([]);
  });

  it('fails once the code has expired', async () => {
    const started = await startSignIn(t, workspace.slug, 'too.late@example.org');
    const signInId = started.json().data.signInId;
    const code = mailedCode(t, 'too.late@example.org');
    await t.database.db.execute(sql`update portal_sign_ins set expires_at = now() - interval '1 second' where id = ${signInId}`);
    const expired = await enterCode(t, workspace.slug, signInId, code);
    expect(expired.statusCode).toBe(422);
    expect(expired.body).toContain('expired');
    expect((await signInRow(signInId)).used_at).toBeNull();
  });

  it("does nothing in another workspace's portal", async () => {
    const started = await startSignIn(t, workspace.slug, 'other.portal@example.org');
    const signInId = started.json().data.signInId;
    const code = mailedCode(t, 'other.portal@example.org');
    expect((await enterCode(t, other.slug, signInId, code)).statusCode).toBe(422);
    expect((await enterCode(t, workspace.slug, signInId, code)).statusCode).toBe(200);
  });

  it('limits wrong codes per client', async () => {
    const client = newPortalClient();
    const started = await startSignIn(t, workspace.slug, 'guesser@example.org');
    const statuses = new Set<number>();
    for (let attempt = 0; attempt < 21; attempt += 1)
      statuses.add((await enterCode(t, workspace.slug, started.json().data.signInId, 'abc', client)).statusCode);
    expect([...statuses].sort()).toEqual([422, 429]);
  });
});

describe('the portal session', () => {
  it('is an HttpOnly, SameSite=Strict, Secure cookie sent only to the workspace’s portal', async () => {
    const started = await startSignIn(t, workspace.slug, 'cookie.check@example.org');
    const verified = await enterCode(t, workspace.slug, started.json().data.signInId, mailedCode(t, 'cookie.check@example.org'));
    const header = String(verified.headers['set-cookie']);
    expect(header).toMatch(/^candor_portal=[^;]+;/);
    expect(header).toContain('HttpOnly');
    expect(header).toContain('SameSite=Strict');
    expect(header).toContain('Secure');
    expect(header).toContain(`Path=/api/v1/portal/${workspace.slug}`);
    expect(header).not.toContain('cookie.check');
    const [stored] = rowsOf<{ row: string }>(await t.database.db.execute(sql`select t::text as row from portal_sessions t order by created_at desc limit 1`));
    expect(stored.row).not.toContain(portalCookieOf(verified).split('.').at(-1));
  });

  it('shows the signed-in address back, known or not', async () => {
    await createContact('me.known@example.org');
    const known = await portalRequest(t, await signedIn(t, workspace.slug, 'me.known@example.org'), { path: '/me' });
    expect(known.statusCode, known.body).toBe(200);
    expect(known.json().data).toMatchObject({ workspace: { name: 'Test workspace', slug: workspace.slug }, email: 'me.known@example.org', known: true });
    const unknown = await portalRequest(t, await signedIn(t, workspace.slug, 'Me.Unknown@Example.org'), { path: '/me' });
    expect(unknown.json().data).toMatchObject({ email: 'me.unknown@example.org', known: false });
  });

  it('answers 401 without a session, or with a forged one', async () => {
    const none = await t.app.inject({ method: 'GET', url: `/api/v1/portal/${workspace.slug}/me` });
    expect(none.statusCode).toBe(401);
    expect(none.headers['content-type']).toMatch(/application\/problem\+json/);
    const session = await signedIn(t, workspace.slug, 'forger@example.org');
    const forged = { ...session, cookie: `${session.cookie.slice(0, -4)}AAAA` };
    expect((await portalRequest(t, forged, { path: '/me' })).statusCode).toBe(401);
  });

  it("is refused by another workspace's portal", async () => {
    const session = await signedIn(t, workspace.slug, 'cross.tenant@example.org');
    expect((await portalRequest(t, session, { path: '/me' })).statusCode).toBe(200);
    expect((await portalRequest(t, session, { path: '/me', slug: other.slug })).statusCode).toBe(401);
    expect((await portalRequest(t, session, { path: '/me/data', slug: other.slug })).statusCode).toBe(401);
    expect((await portalRequest(t, session, { method: 'POST', path: '/sign-out', slug: other.slug })).statusCode).toBe(401);
    expect((await portalRequest(t, session, { path: '/me' })).statusCode).toBe(200);
  });

  it('refuses a change without the CSRF token, or with a wrong one', async () => {
    const session = await signedIn(t, workspace.slug, 'csrf.check@example.org');
    const missing = await portalRequest(t, session, { method: 'POST', path: '/sign-out', csrf: false });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().code).toBe('csrf_failed');
    const wrong = await portalRequest(t, session, { method: 'POST', path: '/sign-out', csrf: false, headers: { 'x-csrf-token': 'not-the-token' } });
    expect(wrong.statusCode).toBe(403);
    expect((await portalRequest(t, session, { path: '/me' })).statusCode).toBe(200);
  });

  it('ends after 30 minutes without use', async () => {
    const session = await signedIn(t, workspace.slug, 'idle.person@example.org');
    await t.database.db.execute(sql`update portal_sessions set idle_expires_at = now() - interval '1 second'`);
    expect((await portalRequest(t, session, { path: '/me' })).statusCode).toBe(401);
  });

  it('ends at sign-out: the cookie is cleared and stops working, and the sign-in is forgotten', async () => {
    const session = await signedIn(t, workspace.slug, 'leaving@example.org');
    const before = await rowCounts(workspace.id);
    const out = await portalRequest(t, session, { method: 'POST', path: '/sign-out' });
    expect(out.statusCode, out.body).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^candor_portal=;.*Expires=Thu, 01 Jan 1970/);
    expect((await portalRequest(t, session, { path: '/me' })).statusCode).toBe(401);
    expect(delta(before, await rowCounts(workspace.id))).toMatchObject({ portal_sign_ins: -1, portal_sessions: -1, subject_keys: -1 });
  });

  it('is forgotten by the upkeep once ended, with its sealed address and key; a live one is kept', async () => {
    const live = await signedIn(t, workspace.slug, 'still.here@example.org');
    const ended = await signedIn(t, workspace.slug, 'gone.away@example.org');
    const unused = await startSignIn(t, workspace.slug, 'never.entered@example.org');
    const [endedRow] = rowsOf<{ sign_in_id: string }>(
      await t.database.db.execute(sql`select sign_in_id from portal_sessions order by created_at desc limit 1`),
    );
    await t.database.db.execute(sql`update portal_sessions set idle_expires_at = now() - interval '1 second' where sign_in_id = ${endedRow.sign_in_id}`);
    await t.database.db.execute(sql`update portal_sign_ins set expires_at = now() - interval '1 second'`);
    const before = await rowCounts(workspace.id);
    const forgotten = await t.database.db.transaction((tx) => forgetEndedPortalSignIns(tx, new Date()));
    expect(forgotten).toBeGreaterThanOrEqual(2);
    const ids = rowsOf<{ id: string }>(await t.database.db.execute(sql`select id from portal_sign_ins`)).map((row) => row.id);
    expect(ids).not.toContain(unused.json().data.signInId);
    expect(ids).not.toContain(endedRow.sign_in_id);
    expect(delta(before, await rowCounts(workspace.id)).subject_keys).toBe(-forgotten);
    expect((await portalRequest(t, live, { path: '/me' })).statusCode).toBe(200);
    expect((await portalRequest(t, ended, { path: '/me' })).statusCode).toBe(401);
  });

  it("forgets only sign-ins: given a contact's id, it deletes nothing and the contact's key stays", async () => {
    const contactId = await createContact('not.a.sign.in@example.org');
    const forgotten = await t.database.db.transaction((tx) => forgetPortalSignIns(tx, workspace.id, [contactId]));
    expect(forgotten).toBe(0);
    const read = await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/contacts/${contactId}`, purpose: 'sales' });
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().data.email).toBe('not.a.sign.in@example.org');
  });

  it('logs no address it was given, and puts none in a URL or a cookie', async () => {
    const session = await signedIn(t, workspace.slug, 'quiet.person@example.org');
    await portalRequest(t, session, { path: '/me' });
    await portalRequest(t, session, { method: 'POST', path: '/sign-out' });
    const logs = t.logs.join('');
    expect(logs).toContain('/api/v1/portal/');
    expect(logs).not.toMatch(/[a-z.]+@example\.org/);
    expect(session.cookie).not.toContain('quiet');
  });
});
