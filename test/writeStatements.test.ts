import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../src/kernel/audit.ts';
import { loggedTestApp } from './support/loggedTestApp.ts';
import type { StatementLog } from './support/statementLog.ts';
import type { TestApp, TestWorkspace } from './support/testApp.ts';

/*
 * What a contact write costs the database, pinned: one transaction, at most this many
 * statements besides BEGIN and COMMIT (the figures reached; lower them when you cut more),
 * and the audit append — the chain-head lock every writer of the workspace queues on, and
 * the INSERT — as the last statements before COMMIT, so the lock is not held while the
 * request does its other work.
 */
const maxCreateStatements = 12;
const maxUpdateStatements = 17;
// Creates of the other records (with the read for the response in the same transaction).
const maxOtherCreateStatements = { companies: 8, deals: 17, activities: 24 };

let t: TestApp;
let log: StatementLog;
let workspace: TestWorkspace;

beforeAll(async () => {
  ({ t, log, workspace } = await loggedTestApp());
});
afterAll(() => t.close());

const transactionControl = (statement: string) => /^(begin|commit|rollback)\b/i.test(statement);
// Authentication runs before the request's transaction, its answer remembered for a second.
const authentication = (statement: string) => statement.includes('"api_key_lookup"');
const isHeadLock = (statement: string) => /^select sequence, hash from audit_heads .* for update$/.test(statement);
const isAuditInsert = (statement: string) => /^with inserted_entries as \( insert into audit_entries/.test(statement);

/** The statements of one request, checked for one transaction that ends with the audit append. */
function oneTransactionEndingInTheAppend(logged: string[]): string[] {
  const statements = logged.filter((statement) => !authentication(statement));
  const work = statements.filter((statement) => !transactionControl(statement));
  if (!t.database.pglite) {
    // PostgreSQL: BEGIN and COMMIT are visible; exactly one of each, around everything.
    expect(statements.filter((statement) => /^begin\b/i.test(statement))).toHaveLength(1);
    expect(statements[0]).toMatch(/^begin\b/i);
    expect(statements.at(-1)).toMatch(/^commit\b/i);
  }
  expect(work.filter(isHeadLock)).toHaveLength(1);
  expect(isHeadLock(work.at(-2) ?? '')).toBe(true);
  expect(isAuditInsert(work.at(-1) ?? '')).toBe(true);
  return work;
}

describe('the statements of a contact write', () => {
  it(`creates a contact in one transaction of at most ${maxCreateStatements} statements, appending its audit entry last`, async () => {
    log.clear();
    const created = await t.request(workspace.keys.admin, {
      method: 'POST',
      url: '/api/v1/contacts',
      payload: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0958', city: 'London' },
    });
    expect(created.statusCode).toBe(201);
    const work = oneTransactionEndingInTheAppend(log.statements());
    expect(work.length).toBeLessThanOrEqual(maxCreateStatements);
    // Built from what was written: the values come back without reading the row again.
    expect(created.json().data).toMatchObject({ firstName: 'Ada', email: 'ada@example.com', city: 'London', version: 1 });
    expect(work.some((statement) => /^select .* from "contacts"/.test(statement))).toBe(false);
  });

  it(`updates a contact in one transaction of at most ${maxUpdateStatements} statements, appending both audit entries last`, async () => {
    const { data } = (
      await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload: { firstName: 'Alan', email: 'alan@example.com' } })
    ).json();
    log.clear();
    const patched = await t.request(workspace.keys.admin, {
      method: 'PATCH',
      url: `/api/v1/contacts/${data.id}`,
      headers: { 'if-match': '"1"' },
      payload: { city: 'Manchester', email: 'alan.turing@example.com' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().data).toMatchObject({ firstName: 'Alan', city: 'Manchester', email: 'alan.turing@example.com', version: 2 });
    const work = oneTransactionEndingInTheAppend(log.statements());
    expect(work.length).toBeLessThanOrEqual(maxUpdateStatements);
  });

  it('leaves the change and the read-back of an update as two entries of one append, in that order, on an intact chain', async () => {
    const { data } = (await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload: { firstName: 'Grace' } })).json();
    await t.request(workspace.keys.admin, {
      method: 'PATCH',
      url: `/api/v1/contacts/${data.id}`,
      headers: { 'if-match': '"1"' },
      payload: { city: 'Arlington' },
    });
    const entries = await t.database.query<{ action: string; occurred_at: string }>(
      `select action, occurred_at::text from audit_entries where tenant_id = $1 order by sequence desc limit 2`,
      [workspace.id],
    );
    expect(entries.map((entry) => entry.action)).toEqual(['contact.read', 'contact.updated']);
    expect(entries[0].occurred_at).toBe(entries[1].occurred_at);
    expect(await verifyAuditChain(t.database.db, workspace.id)).toMatchObject({ ok: true });
  });

  it.each(Object.entries(maxOtherCreateStatements))(
    'creates one of the %s in one transaction of at most %i statements, appending its audit entries last',
    async (path, most) => {
      const contact = (await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload: { firstName: 'Linked' } })).json().data;
      const payloads: Record<string, Record<string, unknown>> = {
        companies: { name: 'Acme', domain: 'acme.example' },
        deals: { name: 'Big deal', contactIds: [contact.id], amountMinor: 1000, currency: 'EUR' },
        activities: { type: 'note', body: 'Called about the renewal', links: { contactIds: [contact.id] } },
      };
      log.clear();
      const created = await t.request(workspace.keys.admin, { method: 'POST', url: `/api/v1/${path}`, payload: payloads[path] });
      expect(created.statusCode).toBe(201);
      expect(oneTransactionEndingInTheAppend(log.statements()).length).toBeLessThanOrEqual(most);
    },
  );

  it('updates a company in a batch reading its row once', async () => {
    const company = (
      await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/companies', payload: { name: 'Initech', externalId: 'acc-9' } })
    ).json().data;
    for (const items of [
      [{ op: 'update', id: company.id, data: { name: 'Initech Ltd' } }],
      [{ op: 'upsert', data: { name: 'Initech Inc', externalId: 'acc-9' } }],
    ]) {
      log.clear();
      const response = await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/companies/batch', payload: { mode: 'atomic', items } });
      expect(response.json().data[0]).toMatchObject({ status: 200, outcome: 'updated' });
      // The row read whole once; an upsert also finds its company's id by the match value.
      const reads = log.statements().filter((statement) => /^select .* from "companies"/.test(statement));
      expect(reads.filter((statement) => !statement.startsWith('select "id" from'))).toHaveLength(1);
    }
  });
});
