import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../src/accounts/users.ts';
import { auditEntries } from '../src/db/schema/index.ts';
import { roles } from '../src/shared/roles.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

// Failed logins slow the next try down; they never refuse the right password for good. The
// app's clock is moved forward instead of sleeping through a back-off.

let t: TestApp;
let workspace: TestWorkspace;
let now = new Date('2031-03-01T09:00:00Z');
const wait = (seconds: number) => {
  now = new Date(now.getTime() + seconds * 1000);
};
const password = 'correct horse battery staple';
const wrong = 'not the password at all';
let addressCounter = 0;
const freshAddress = () => {
  addressCounter += 1;
  return `203.0.113.${addressCounter}`;
};

function login(email: string, pass: string, remoteAddress: string) {
  return t.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress, payload: { workspace: workspace.slug, email, password: pass } });
}

async function failTimes(count: number, email: string, address: string) {
  for (let attempt = 0; attempt < count; attempt += 1) expect((await login(email, wrong, address)).statusCode).toBe(401);
}

const userIds = new Map<string, string>();
async function newUser(name: string): Promise<string> {
  const email = `${name}@example.test`;
  const user = await addUser(t.database.db, { tenantId: workspace.id, email, displayName: name, role: 'sales', password });
  userIds.set(email, user.id);
  return email;
}

beforeAll(async () => {
  t = await createTestApp({ clock: () => now });
  workspace = await t.createWorkspace();
});
afterAll(() => t.close());

describe('login back-off', () => {
  it('lets the right password in once the back-off that five wrong ones earned has passed', async () => {
    const email = await newUser('owner');
    const address = freshAddress();
    await failTimes(5, email, address);
    const early = await login(email, password, address);
    expect(early.statusCode).toBe(429);
    expect(early.headers['retry-after']).toBe('30');
    wait(29);
    expect((await login(email, password, address)).statusCode).toBe(429);
    wait(1);
    const late = await login(email, password, address);
    expect(late.statusCode).toBe(200);
    expect(late.cookies.map((cookie) => cookie.name)).toContain('candor_session');
  });

  it('answers a throttled attempt with 429 problem+json and Retry-After, naming no personal data', async () => {
    const email = await newUser('quiet');
    const address = freshAddress();
    await failTimes(5, email, address);
    const refused = await login(email, wrong, address);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.headers['retry-after']).toBe('30');
    expect(refused.json()).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(refused.body).not.toContain('quiet');
    expect(refused.body).not.toContain(address);
  });

  it('doubles the wait with each further failure (up to 15 minutes: throttles.test.ts), and a refused attempt adds nothing', async () => {
    const email = await newUser('patient');
    const address = freshAddress();
    await failTimes(5, email, address);
    const waits: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      const refused = await login(email, wrong, address);
      expect(refused.statusCode).toBe(429);
      const seconds = Number(refused.headers['retry-after']);
      waits.push(seconds);
      wait(seconds);
      expect((await login(email, wrong, address)).statusCode).toBe(401);
    }
    expect(waits).toEqual([30, 60, 120]);
    wait(240);
    expect((await login(email, password, address)).statusCode).toBe(200);
  });

  it('throttles an unknown account exactly like a known one', async () => {
    const known = await newUser('known');
    const knownAddress = freshAddress();
    const unknownAddress = freshAddress();
    await failTimes(5, known, knownAddress);
    await failTimes(5, 'nobody.here@example.test', unknownAddress);
    const knownRefusal = await login(known, wrong, knownAddress);
    const unknownRefusal = await login('nobody.here@example.test', wrong, unknownAddress);
    expect(unknownRefusal.statusCode).toBe(knownRefusal.statusCode);
    expect(unknownRefusal.headers['retry-after']).toBe(knownRefusal.headers['retry-after']);
    expect(unknownRefusal.json()).toEqual(knownRefusal.json());
  });

  it('slows the account as a whole after 20 failures from many addresses, and the right password gets in after that wait', async () => {
    const email = await newUser('targeted');
    for (let address = 0; address < 5; address += 1) await failTimes(4, email, freshAddress());
    const refused = await login(email, password, freshAddress());
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    wait(60);
    expect((await login(email, password, freshAddress())).statusCode).toBe(200);
  });

  it('does not hold the owner out from an address the account logged in from lately, whatever guesses come from elsewhere', async () => {
    const email = await newUser('owned');
    const home = freshAddress();
    expect((await login(email, password, home)).statusCode).toBe(200);
    for (let address = 0; address < 5; address += 1) await failTimes(4, email, freshAddress());
    expect((await login(email, password, freshAddress())).statusCode).toBe(429);
    expect((await login(email, wrong, home)).statusCode).toBe(401);
    expect((await login(email, password, home)).statusCode).toBe(200);
  });
});

describe('unlocking an account', () => {
  const unlock = (key: string, userId: string) => t.request(key, { method: 'POST', url: `/api/v1/users/${userId}/unlock` });

  it("lets the right password in at once after an admin's unlock, from every address, audited without personal values", async () => {
    const email = await newUser('unlocked');
    // 5 failures from each of 4 addresses: each address is slowed down, and the account as a whole.
    const addresses = [freshAddress(), freshAddress(), freshAddress(), freshAddress()];
    for (const address of addresses) await failTimes(5, email, address);
    expect((await login(email, password, addresses[0])).statusCode).toBe(429);
    expect((await login(email, password, freshAddress())).statusCode).toBe(429);

    const response = await unlock(workspace.keys.admin, userIds.get(email) as string);
    expect(response.statusCode).toBe(200);
    expect(response.json().data).toMatchObject({ id: userIds.get(email), status: 'active' });
    expect((await login(email, password, addresses[0])).statusCode).toBe(200);

    const entries = await t.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.tenantId, workspace.id), eq(auditEntries.action, 'user.unlocked')));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ object: 'user', recordIds: [userIds.get(email)], actorType: 'api_key' });
    expect(JSON.stringify(entries)).not.toContain('unlocked@');
  });

  it('refuses every role but admin with 403, leaving the account slowed down', async () => {
    const email = await newUser('stillslow');
    const address = freshAddress();
    await failTimes(5, email, address);
    for (const role of roles.filter((candidate) => candidate !== 'admin')) {
      const response = await unlock(workspace.keys[role], userIds.get(email) as string);
      expect(response.statusCode, role).toBe(403);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    expect((await login(email, password, address)).statusCode).toBe(429);
  });

  it('answers 404 for a user of another workspace', async () => {
    const other = await t.createWorkspace();
    const stranger = await addUser(t.database.db, { tenantId: other.id, email: 'stranger@example.test', displayName: 'S', role: 'sales', password });
    expect((await unlock(workspace.keys.admin, stranger.id)).statusCode).toBe(404);
  });
});
