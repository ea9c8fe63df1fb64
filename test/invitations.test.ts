import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles } from '../src/shared/roles.ts';
import { createTestApp, errorFields, type TestApp, type TestWorkspace } from './support/testApp.ts';

let t: TestApp;
let workspace: TestWorkspace;
let otherWorkspace: TestWorkspace;
const password = 'correct horse battery staple';

type Listed = { id: string; email: string; state: string; revokedAt: string | null; acceptedAt: string | null };

const invite = (email: string, role = 'sales', w = workspace) =>
  t.request(w.keys.admin, { method: 'POST', url: '/api/v1/users/invitations', payload: { email, role } });

const list = (query = '', key = workspace.keys.admin) => t.request(key, { method: 'GET', url: `/api/v1/invitations${query}` });
const revoke = (id: string, key = workspace.keys.admin) => t.request(key, { method: 'DELETE', url: `/api/v1/invitations/${id}` });
const resend = (id: string, key = workspace.keys.admin) => t.request(key, { method: 'POST', url: `/api/v1/invitations/${id}/resend` });
const accept = (token: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/accept-invitation', payload: { token, displayName: 'New Person', password } });

function latestTokenFor(email: string): string {
  const mail = t.mail.filter((message) => message.to === email).at(-1);
  const match = mail ? /\/accept-invitation#token=(\S+)/.exec(mail.text) : null;
  if (!match) throw new Error('no invitation link mailed to that address');
  return decodeURIComponent(match[1]);
}

async function invitedId(email: string, role = 'sales'): Promise<string> {
  const response = await invite(email, role);
  expect(response.statusCode).toBe(201);
  return response.json().data.id;
}

const auditEntries = async (action: string) =>
  (await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/audit?action=${action}&limit=200` })).json().data as Array<Record<string, unknown>>;

// Ids and states of every page of a listing, following nextCursor.
async function walk(query: string): Promise<Listed[]> {
  const seen: Listed[] = [];
  let cursor: string | null = null;
  do {
    const response = await list(`${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(response.statusCode).toBe(200);
    seen.push(...response.json().data);
    cursor = response.json().nextCursor;
  } while (cursor);
  return seen;
}

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  otherWorkspace = await t.createWorkspace();
});
afterAll(() => t.close());

describe('listing invitations', () => {
  it("lists the workspace's invitations with their state, address, role and dates, never a token", async () => {
    const id = await invitedId('lena.listed@example.test', 'support');
    const response = await list('?state=pending');
    expect(response.statusCode).toBe(200);
    const item = response.json().data.find((candidate: Listed) => candidate.id === id);
    expect(item).toMatchObject({ email: 'lena.listed@example.test', role: 'support', state: 'pending', acceptedAt: null, revokedAt: null });
    expect(Date.parse(item.expiresAt) - Date.parse(item.createdAt)).toBe(7 * 24 * 60 * 60 * 1000);
    expect(Object.keys(item).sort()).toEqual(['acceptedAt', 'createdAt', 'email', 'expiresAt', 'id', 'invitedBy', 'revokedAt', 'role', 'state']);
  });

  it('filters by state: pending, accepted, expired and revoked each find only their own', async () => {
    const pending = await invitedId('pia.pending@example.test');
    const accepted = await invitedId('abe.accepted@example.test');
    expect((await accept(latestTokenFor('abe.accepted@example.test'))).statusCode).toBe(201);
    const expired = await invitedId('eve.expired@example.test');
    await t.database.query("update invitations set expires_at = now() - interval '1 second' where tenant_id = $1 and id = $2", [workspace.id, expired]);
    const revoked = await invitedId('rex.revoked@example.test');
    expect((await revoke(revoked)).statusCode).toBe(204);

    const ids = async (state: string) => (await walk(`?state=${state}&limit=200`)).map((item) => item.id);
    const byState = { pending: await ids('pending'), accepted: await ids('accepted'), expired: await ids('expired'), revoked: await ids('revoked') };
    expect(byState.pending).toContain(pending);
    expect(byState.accepted).toEqual([accepted]);
    expect(byState.expired).toEqual([expired]);
    expect(byState.revoked).toEqual([revoked]);
    for (const [state, found] of Object.entries(byState)) {
      for (const item of await walk(`?state=${state}&limit=200`)) expect(item.state).toBe(state);
      expect(found.length).toBeGreaterThan(0);
    }
    const all = (await walk('?limit=200')).map((item) => item.id);
    expect(all).toEqual(expect.arrayContaining([pending, accepted, expired, revoked]));
  });

  it('pages oldest first (or newest first with sort=-created_at) without losing or repeating one', async () => {
    for (let n = 0; n < 5; n += 1) await invite(`paged.${n}@example.test`);
    const whole = (await list('?limit=200')).json().data.map((item: Listed) => item.id);
    const paged = (await walk('?limit=2')).map((item) => item.id);
    expect(paged).toEqual(whole);
    expect(new Set(paged).size).toBe(paged.length);
    expect((await walk('?limit=3&sort=-created_at')).map((item) => item.id)).toEqual([...whole].reverse());
  });

  it('refuses an unknown state naming the parameter', async () => {
    const response = await list('?state=lost');
    expect(response.statusCode).toBe(422);
    expect(errorFields(response.json())).toEqual(['querystring.state']);
  });

  it('is for admins only, as inviting is', async () => {
    for (const role of roles.filter((candidate) => candidate !== 'admin')) {
      const response = await list('', workspace.keys[role]);
      expect(response.statusCode, role).toBe(403);
    }
  });

  it("shows nothing of another workspace's invitations", async () => {
    const theirs = (await invite('olga.other@example.test', 'sales', otherWorkspace)).json().data.id;
    const ours = (await walk('?limit=200')).map((item) => item.id);
    expect(ours).not.toContain(theirs);
  });
});

describe('withdrawing an invitation', () => {
  it('stops its link working: accepting answers exactly as for an unknown token', async () => {
    const id = await invitedId('walt.withdrawn@example.test');
    const token = latestTokenFor('walt.withdrawn@example.test');
    expect((await revoke(id)).statusCode).toBe(204);
    const refused = await accept(token);
    const unknown = await accept(`${workspace.id}.${id}.${'x'.repeat(43)}`);
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toEqual(unknown.json());
    const item = (await walk('?state=revoked&limit=200')).find((candidate) => candidate.id === id);
    expect(item?.revokedAt).toEqual(expect.any(String));
  });

  it('answers 204 again for a withdrawn one, keeping the first withdrawal time', async () => {
    const id = await invitedId('twice.withdrawn@example.test');
    await revoke(id);
    const first = (await walk('?state=revoked&limit=200')).find((item) => item.id === id)?.revokedAt;
    expect((await revoke(id)).statusCode).toBe(204);
    expect((await walk('?state=revoked&limit=200')).find((item) => item.id === id)?.revokedAt).toBe(first);
  });

  it('refuses (409) to withdraw an accepted invitation, naming it', async () => {
    const id = await invitedId('ada.accepted@example.test');
    expect((await accept(latestTokenFor('ada.accepted@example.test'))).statusCode).toBe(201);
    const response = await revoke(id);
    expect(response.statusCode).toBe(409);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().detail).toContain('already accepted');
    expect(errorFields(response.json())).toEqual(['id']);
  });

  it("answers 404 for another workspace's invitation and leaves it working", async () => {
    const theirs = (await invite('ola.other@example.test', 'sales', otherWorkspace)).json().data.id;
    expect((await revoke(theirs)).statusCode).toBe(404);
    expect((await resend(theirs)).statusCode).toBe(404);
    expect((await accept(latestTokenFor('ola.other@example.test'))).statusCode).toBe(201);
  });

  it('is for admins only', async () => {
    const id = await invitedId('nobody.else@example.test');
    for (const role of roles.filter((candidate) => candidate !== 'admin')) {
      expect((await revoke(id, workspace.keys[role])).statusCode, role).toBe(403);
      expect((await resend(id, workspace.keys[role])).statusCode, role).toBe(403);
    }
    expect((await list('?state=pending')).json().data.map((item: Listed) => item.id)).toContain(id);
  });
});

describe('sending an invitation again', () => {
  it('mails a new link that works and kills the old one', async () => {
    const id = await invitedId('sam.resent@example.test');
    const old = latestTokenFor('sam.resent@example.test');
    const response = await resend(id);
    expect(response.statusCode).toBe(200);
    expect(response.json().data).toMatchObject({ id, state: 'pending', email: 'sam.resent@example.test' });
    const fresh = latestTokenFor('sam.resent@example.test');
    expect(fresh).not.toBe(old);
    expect((await accept(old)).statusCode).toBe(422);
    expect((await accept(fresh)).statusCode).toBe(201);
  });

  it('revives an expired invitation for another seven days', async () => {
    const id = await invitedId('xena.expired@example.test');
    await t.database.query("update invitations set expires_at = now() - interval '1 second' where tenant_id = $1 and id = $2", [workspace.id, id]);
    const response = await resend(id);
    expect(response.json().data.state).toBe('pending');
    expect(Date.parse(response.json().data.expiresAt)).toBeGreaterThan(Date.now() + 6 * 24 * 60 * 60 * 1000);
  });

  it('refuses (409) a withdrawn or accepted invitation, mailing nothing', async () => {
    const withdrawn = await invitedId('wim.withdrawn@example.test');
    await revoke(withdrawn);
    const mailed = t.mail.length;
    expect((await resend(withdrawn)).statusCode).toBe(409);
    const accepted = await invitedId('acc.accepted@example.test');
    await accept(latestTokenFor('acc.accepted@example.test'));
    const before = t.mail.length;
    expect((await resend(accepted)).statusCode).toBe(409);
    expect(t.mail.length).toBe(before);
    expect(before).toBe(mailed + 1);
  });
});

describe('the audit trail', () => {
  it('records withdrawals and resends by the invitation id, never the address', async () => {
    const withdrawn = await invitedId('audit.withdrawn@example.test');
    await revoke(withdrawn);
    const resent = await invitedId('audit.resent@example.test');
    await resend(resent);
    const revokedEntries = await auditEntries('invitation.revoked');
    const resentEntries = await auditEntries('invitation.resent');
    expect(revokedEntries.find((entry) => (entry.recordIds as string[]).includes(withdrawn))).toMatchObject({ object: 'invitation', fields: ['revokedAt'] });
    expect(resentEntries.find((entry) => (entry.recordIds as string[]).includes(resent))).toMatchObject({ object: 'invitation' });
    const everything = JSON.stringify((await t.request(workspace.keys.admin, { method: 'GET', url: '/api/v1/audit?action=invitation.&limit=200' })).json());
    expect(everything).not.toContain('@example.test');
    expect(everything).not.toContain('audit.withdrawn');
  });
});
