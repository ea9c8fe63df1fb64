import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createSession } from '../../src/accounts/sessions.ts';
import { addUser } from '../../src/accounts/users.ts';
import { defaultPurposes } from '../../src/privacy/defaultPurposes.ts';
import { giveConsent } from './consentLedger.ts';
import { consentingVisitors } from './consentingVisitors.ts';
import type { TestApp, TestWorkspace } from './testApp.ts';

/*
 * The API fuzzer's own workspace: credentials for every way in, a few records of each kind,
 * and pools of what exists (ids, cursors, keys) that grow as the fuzzer creates records.
 * The fuzzer's own credentials are never in a pool, so it cannot revoke its way out.
 */

export type Session = { cookie: string; csrfToken: string };

export const fuzzPassword = 'correct horse battery staple';
const sessionEmail = 'fuzz.admin@example.test';

export type FuzzWorkspace = {
  workspace: TestWorkspace;
  session: Session;
  sessionEmail: string;
  pools: Map<string, string[]>;
  /** The last version served of each record, for If-Match. */
  versions: Map<string, number>;
  /** Adds what a response tells about the workspace (ids, cursors) to the pools. */
  learn(resource: string, route: string, method: string, response: LightMyRequestResponse): void;
  /** Drops a deleted record from its pool, so later requests mostly meet records that exist. */
  forget(resource: string, id: string): void;
  /** Logs in again after the fuzzer logged its session out. */
  renewSession(): Promise<void>;
  /** Makes a few records again, so a long run does not delete its way into empty pools. */
  replenish(): Promise<void>;
};

const addTo = (pools: Map<string, string[]>, pool: string, value: unknown) => {
  if (typeof value !== 'string' || value.length === 0) return;
  const values = pools.get(pool) ?? [];
  if (values.includes(value)) return;
  // Bounded: old entries make way, so a long run keeps drawing from recent state too.
  if (values.length >= 200) values.shift();
  values.push(value);
  pools.set(pool, values);
};

async function logIn(t: TestApp, slug: string): Promise<Session> {
  const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { workspace: slug, email: sessionEmail, password: fuzzPassword } });
  if (login.statusCode !== 200) throw new Error(`fuzz session login answered ${login.statusCode}`);
  const cookie = login.cookies.find((candidate) => candidate.name === 'candor_session');
  if (!cookie) throw new Error('fuzz session login set no cookie');
  return { cookie: cookie.value, csrfToken: login.json().data.csrfToken };
}

export async function createFuzzWorkspace(t: TestApp): Promise<FuzzWorkspace> {
  const workspace = await t.createWorkspace();
  const sessionUserId = (
    await addUser(t.database.db, { tenantId: workspace.id, email: sessionEmail, displayName: 'Fuzz Admin', role: 'admin', password: fuzzPassword })
  ).id;
  const pools = new Map<string, string[]>();
  let replenished = 0;
  const fuzz: FuzzWorkspace = {
    workspace,
    session: await logIn(t, workspace.slug),
    sessionEmail,
    pools,
    versions: new Map(),
    learn(resource, route, method, response) {
      if (response.statusCode >= 300 || response.statusCode === 204 || !response.headers['content-type']?.toString().includes('json')) return;
      const body = response.json() as { data?: unknown; nextCursor?: unknown };
      addTo(pools, 'cursors', body.nextCursor);
      addTo(pools, `cursors ${route}`, body.nextCursor);
      const records = Array.isArray(body.data) ? body.data : [body.data];
      // Lists of users and API keys would hand out the fuzzer's own credentials; only records it made join those pools.
      const ownCredentials = resource === 'users' || resource === 'api-keys';
      for (const record of records) {
        if (typeof record !== 'object' || record === null) continue;
        const fields = record as Record<string, unknown>;
        if (typeof fields.id === 'string' && typeof fields.version === 'number') fuzz.versions.set(fields.id, fields.version);
        // An invitation's id is not a user's.
        if (method === 'POST' || (method === 'GET' && !ownCredentials)) addTo(pools, route.endsWith('/invitations') ? 'invitations' : resource, fields.id);
        if (Array.isArray(fields.stages)) for (const stage of fields.stages) addTo(pools, 'stages', (stage as { id?: unknown }).id);
        if (resource === 'custom-fields' && method === 'POST') addTo(pools, 'customFieldKeys', fields.key);
        if (resource === 'purposes' && method === 'POST') addTo(pools, 'purposeKeys', fields.key);
        if (resource === 'events' && method === 'POST') addTo(pools, 'visitors', fields.visitorId);
      }
    },
    forget(resource, id) {
      const values = pools.get(resource);
      if (values?.includes(id)) values.splice(values.indexOf(id), 1);
    },
    async renewSession() {
      // Straight to the store: logging in again would run into the login throttle the fuzzer itself fills.
      const { cookie, csrfToken } = await createSession(t.database.db, workspace.id, sessionUserId);
      fuzz.session = { cookie, csrfToken };
    },
    async replenish() {
      replenished += 1;
      const send = async (resource: string, url: string, payload: object) => {
        const response = await t.request(workspace.keys.admin, { method: 'POST', url, payload });
        fuzz.learn(resource, url, 'POST', response);
        return response.statusCode < 300 ? (response.json() as { data: { id: string } }).data.id : undefined;
      };
      const contactId = await send('contacts', '/api/v1/contacts', {
        firstName: 'Again',
        email: `fuzz-again-${replenished}@example.test`,
        phone: '+44 20 7946 0958',
      });
      await send('contacts', '/api/v1/contacts', { lastName: 'Twice', email: `fuzz-again-${replenished}@example.test` });
      const companyId = await send('companies', '/api/v1/companies', { name: `Again ${replenished}` });
      await send('deals', '/api/v1/deals', { name: 'Again', amountMinor: 1_000, currency: 'EUR', companyId, contactIds: contactId ? [contactId] : [] });
      await send('activities', '/api/v1/activities', {
        type: 'task',
        subject: 'Again',
        dueAt: '2031-01-01T09:00:00Z',
        links: { contactIds: contactId ? [contactId] : [] },
      });
      await send('purchases', '/api/v1/purchases', {
        orderNumber: `AGAIN-${replenished}`,
        currency: 'EUR',
        contactId,
        lines: [{ name: 'Widget', quantity: 1, unitPriceMinor: 100 }],
      });
      await send('webhooks', '/api/v1/webhooks', { url: 'https://hooks.example.com/again', eventTypes: ['*'] });
      await send('api-keys', '/api/v1/api-keys', { name: `Again ${replenished}`, role: 'support', purposes: ['support'] });
    },
  };
  for (const purpose of defaultPurposes) addTo(pools, 'purposeKeys', purpose.key);
  addTo(pools, 'emails', sessionEmail);
  await seedRecords(t, fuzz);
  return fuzz;
}

/** A few records of each kind, made through the API so the pools learn their ids. */
async function seedRecords(t: TestApp, fuzz: FuzzWorkspace): Promise<void> {
  const send = async (resource: string, options: InjectOptions & { purpose?: string }) => {
    const response = await t.request(fuzz.workspace.keys.admin, options);
    if (response.statusCode >= 300) throw new Error(`fuzz fixture ${options.method} ${options.url} answered ${response.statusCode}: ${response.body}`);
    fuzz.learn(resource, String(options.url).split('?')[0], String(options.method), response);
    return response.json() as { data: Record<string, unknown> };
  };
  await send('pipelines', { method: 'GET', url: '/api/v1/pipelines' });
  for (const [index, firstName] of ['Ada', 'Grace', 'Linus'].entries()) {
    await send('contacts', { method: 'POST', url: '/api/v1/contacts', payload: { firstName, email: `fuzz${index}@example.test` } });
  }
  const company = await send('companies', { method: 'POST', url: '/api/v1/companies', payload: { name: 'Acme', domain: 'acme.example' } });
  await send('companies', { method: 'POST', url: '/api/v1/companies', payload: { name: 'Globex' } });
  const contactId = fuzz.pools.get('contacts')?.[0];
  await send('deals', {
    method: 'POST',
    url: '/api/v1/deals',
    payload: { name: 'Big deal', amountMinor: 100_000, currency: 'EUR', companyId: company.data.id, contactIds: [contactId] },
  });
  await send('activities', {
    method: 'POST',
    url: '/api/v1/activities',
    payload: { type: 'task', subject: 'Call back', dueAt: '2030-01-01T09:00:00Z', links: { contactIds: [contactId] } },
  });
  await send('purchases', {
    method: 'POST',
    url: '/api/v1/purchases',
    payload: { orderNumber: 'FUZZ-1', currency: 'EUR', contactId, lines: [{ name: 'Widget', quantity: 2, unitPriceMinor: 1_999 }] },
  });
  // Two of everything a list pages through, so every list serves a cursor at limit=1.
  const webhook = await send('webhooks', { method: 'POST', url: '/api/v1/webhooks', payload: { url: 'https://hooks.example.com/candor', eventTypes: ['*'] } });
  await send('webhooks', { method: 'POST', url: '/api/v1/webhooks', payload: { url: 'https://hooks.example.com/other', eventTypes: ['contact.created'] } });
  for (let ping = 0; ping < 2; ping += 1) await send('deliveries', { method: 'POST', url: `/api/v1/webhooks/${webhook.data.id}/test` });
  await send('custom-fields', {
    method: 'POST',
    url: '/api/v1/custom-fields',
    payload: { object: 'company', key: 'tier', label: 'Tier', type: 'select', dataCategory: 'system.operations', options: ['gold', 'silver'] },
  });
  await send('custom-fields', {
    method: 'POST',
    url: '/api/v1/custom-fields',
    payload: { object: 'deal', key: 'close_note', label: 'Close note', type: 'text', dataCategory: 'system.operations' },
  });
  // Web analytics events are stored only under a live consent: the visitor and the contact gave it.
  await consentingVisitors(t.database, fuzz.workspace.id, ['fuzz-visitor-1']);
  await giveConsent(t.database.db, fuzz.workspace.id, contactId as string, 'web_analytics');
  for (const occurredAt of ['2024-05-01T10:00:00Z', '2024-05-02T10:00:00Z']) {
    await send('events', {
      method: 'POST',
      url: '/api/v1/events',
      purpose: 'web_analytics',
      payload: { type: 'page_view', occurredAt, anonymousId: 'fuzz-visitor-1', properties: { url: '/pricing' } },
    });
    await send('events', { method: 'POST', url: '/api/v1/events', purpose: 'web_analytics', payload: { type: 'click', occurredAt, contactId } });
  }
  await send('deals', {
    method: 'POST',
    url: '/api/v1/deals',
    payload: { name: 'Small deal', amountMinor: 500, currency: 'EUR', expectedCloseDate: '2030-06-30' },
  });
  await send('activities', { method: 'POST', url: '/api/v1/activities', payload: { type: 'note', subject: 'Met', links: { contactIds: [contactId] } } });
  await send('purchases', {
    method: 'POST',
    url: '/api/v1/purchases',
    payload: { orderNumber: 'FUZZ-2', currency: 'EUR', lines: [{ name: 'Gadget', quantity: 1, unitPriceMinor: 500 }] },
  });
  await send('api-keys', { method: 'POST', url: '/api/v1/api-keys', payload: { name: 'Spare key', role: 'sales', purposes: ['sales'] } });
  await send('users', { method: 'POST', url: '/api/v1/users/invitations', payload: { email: 'invitee@example.test', role: 'sales' } });
  const user = await addUser(t.database.db, {
    tenantId: fuzz.workspace.id,
    email: 'fuzz.colleague@example.test',
    displayName: 'Colleague',
    role: 'sales',
    password: fuzzPassword,
  });
  addTo(fuzz.pools, 'users', user.id);
  addTo(fuzz.pools, 'emails', 'fuzz.colleague@example.test');
  const csv = await t.request(fuzz.workspace.keys.admin, {
    method: 'POST',
    url: '/api/v1/imports?object=company',
    headers: { 'content-type': 'text/csv' },
    payload: 'name,domain\nInitech,initech.example\n',
  });
  fuzz.learn('imports', '', 'POST', csv);
}
