import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceEpoch, kernelKeyStore } from '../src/kernel/index.ts';
import { epochAdvancePolicy } from '../src/kernel/vault/index.ts';
import { grantTestDefaults } from './support/contactPolicy.ts';
import { codeBlocks, curlRequest, matchesDocumented, readmeSection, shellWords } from './support/readme.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

/* GET /api/v1/keys: the key epoch, the erasures waiting for the next advance and the erasure window. */

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function keyStatus(key: string) {
  const response = await t.request(key, { method: 'GET', url: '/api/v1/keys' });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().data;
}

async function newWorkspace(): Promise<TestWorkspace> {
  const workspace = await t.createWorkspace();
  await grantTestDefaults(t, workspace.id);
  return workspace;
}

async function createContact(workspace: TestWorkspace): Promise<string> {
  const response = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload: { firstName: 'Grace' }, purpose: 'sales' });
  expect(response.statusCode).toBe(201);
  return response.json().data.id;
}

const eraseContact = async (workspace: TestWorkspace, id: string) =>
  expect((await t.request(workspace.keys.privacy_officer, { method: 'DELETE', url: `/api/v1/contacts/${id}`, purpose: 'sales' })).statusCode).toBe(204);

const window = {
  maxDelaySeconds: epochAdvancePolicy.maxDelayMs / 1000,
  maxPendingErasures: epochAdvancePolicy.maxPendingErasures,
  checkIntervalSeconds: 60,
  worstCaseSeconds: epochAdvancePolicy.maxDelayMs / 1000 + 60,
};

describe('key epoch status', () => {
  it('has no epoch before the first personal value, and one with nothing pending after it', async () => {
    const workspace = await newWorkspace();
    expect(await keyStatus(workspace.keys.admin)).toEqual({
      currentEpoch: null,
      epochStartedAt: null,
      pendingErasures: 0,
      firstPendingErasureAt: null,
      advanceInProgress: false,
      nextAdvanceDueAt: null,
      pendingErasuresHoldBy: null,
      retiredEpochs: 0,
      destroyedEpochs: 0,
      erasureWindow: window,
    });
    const before = Date.now();
    await createContact(workspace);
    const status = await keyStatus(workspace.keys.privacy_officer);
    expect(status).toMatchObject({ currentEpoch: expect.any(Number), pendingErasures: 0, nextAdvanceDueAt: null, pendingErasuresHoldBy: null });
    expect(Date.parse(status.epochStartedAt)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('counts an erasure and says when the advance is due and by when old copies no longer open it', async () => {
    const workspace = await newWorkspace();
    const [kept, erased] = [await createContact(workspace), await createContact(workspace)];
    expect(kept).not.toBe(erased);
    const before = Date.now();
    await eraseContact(workspace, erased);
    const status = await keyStatus(workspace.keys.admin);
    expect(status.pendingErasures).toBe(1);
    const first = Date.parse(status.firstPendingErasureAt);
    expect(first).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(status.nextAdvanceDueAt)).toBe(first + epochAdvancePolicy.maxDelayMs);
    expect(Date.parse(status.pendingErasuresHoldBy)).toBe(first + epochAdvancePolicy.maxDelayMs + 60_000);
    // The answer holds counts and times only: no id of the person erased.
    expect(JSON.stringify(status)).not.toContain(erased);

    const epoch = status.currentEpoch;
    await advanceEpoch(t.database, kernelKeyStore(), workspace.id);
    const advanced = await keyStatus(workspace.keys.admin);
    expect(advanced).toMatchObject({
      currentEpoch: epoch + 1,
      pendingErasures: 0,
      nextAdvanceDueAt: null,
      pendingErasuresHoldBy: null,
      advanceInProgress: false,
      retiredEpochs: 0,
      destroyedEpochs: 1,
    });
    expect(Date.parse(advanced.epochStartedAt)).toBeGreaterThanOrEqual(first);
  });

  it('says an advance is due at once when enough erasures wait, or one was left unfinished', async () => {
    const full = await newWorkspace();
    await createContact(full);
    await t.database.query(`update vault_epochs set pending_erasures = $2, first_pending_erasure_at = now() where tenant_id = $1 and state = 'current'`, [
      full.id,
      epochAdvancePolicy.maxPendingErasures,
    ]);
    const before = Date.now();
    const due = await keyStatus(full.keys.admin);
    expect(Date.parse(due.nextAdvanceDueAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(due.nextAdvanceDueAt)).toBeLessThanOrEqual(Date.now() + 1000);

    // An advance that retired its epoch but had not re-wrapped every key when it stopped:
    // the erasures on the retired epoch still wait for it.
    const unfinished = await newWorkspace();
    await createContact(unfinished);
    const erased = await createContact(unfinished);
    await eraseContact(unfinished, erased);
    await t.database.query(`update vault_epochs set state = 'retired', retired_at = now() where tenant_id = $1 and state = 'current'`, [unfinished.id]);
    await t.database.query(
      `insert into vault_epochs (tenant_id, epoch, state) select tenant_id, max(epoch) + 1, 'current' from vault_epochs where tenant_id = $1 group by tenant_id`,
      [unfinished.id],
    );
    const stalled = await keyStatus(unfinished.keys.admin);
    expect(stalled).toMatchObject({ advanceInProgress: true, retiredEpochs: 1, pendingErasures: 1 });
    expect(Date.parse(stalled.nextAdvanceDueAt)).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('shows each workspace only its own epochs and erasures', async () => {
    const mine = await newWorkspace();
    const theirs = await newWorkspace();
    await createContact(mine);
    await eraseContact(theirs, await createContact(theirs));
    expect((await keyStatus(theirs.keys.admin)).pendingErasures).toBe(1);
    expect((await keyStatus(mine.keys.admin)).pendingErasures).toBe(0);
  });

  it('is for admins and privacy officers only', async () => {
    const workspace = await newWorkspace();
    for (const role of ['sales', 'support', 'marketing', 'analyst'] as const) {
      const refused = await t.request(workspace.keys[role], { method: 'GET', url: '/api/v1/keys' });
      expect({ role, status: refused.statusCode }).toEqual({ role, status: 403 });
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/keys' })).statusCode).toBe(401);
  });
});

describe('README: Key epochs and the erasure window', () => {
  it('answers its curl example with the JSON it shows, two advances and one erasure in', async () => {
    const workspace = await newWorkspace();
    await createContact(workspace);
    for (let advance = 0; advance < 2; advance += 1) await advanceEpoch(t.database, kernelKeyStore(), workspace.id);
    await eraseContact(workspace, await createContact(workspace));
    const section = readmeSection('Key epochs and the erasure window');
    const [curl] = codeBlocks(section, 'sh');
    const request = curlRequest(shellWords(curl, { CANDOR: 'http://localhost:3000', PRIVACY_KEY: workspace.keys.privacy_officer }));
    const response = await t.app.inject({ method: request.method as 'GET', url: request.url, headers: request.headers });
    expect(response.statusCode).toBe(200);
    expect(matchesDocumented(response.json(), JSON.parse(codeBlocks(section, 'json')[0])), response.body).toBe(true);
  });
});
