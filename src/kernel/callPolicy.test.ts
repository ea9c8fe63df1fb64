import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace } from '../accounts/workspaces.ts';
import type { AppDatabase } from '../db/connection.ts';
import { newId } from '../db/ids.ts';
import { openTestDatabase, type TestDatabase } from '../../test/support/testDatabase.ts';
import { statementLog } from '../../test/support/statementLog.ts';
import type { PurposeContext } from './accessContext.ts';
import { listAuditEntries } from './audit.ts';
import { forgetCallPolicy, objectPolicy } from './callPolicy.ts';
import { insertRoleGrants } from './policy/index.ts';
import { ensureTestKernel } from './runtime.ts';

let database: TestDatabase;
let tenantId: string;

beforeAll(async () => {
  ensureTestKernel();
  database = await openTestDatabase();
  tenantId = (await createWorkspace(database.db, { slug: `call-policy-${process.pid}`, name: 'Call policy' })).id;
  await insertRoleGrants(database.db, tenantId, [{ role: 'sales', purposeKey: 'sales' }]);
});
afterAll(() => database.close());

/** A drizzle instance over the same client that counts the statements it sends. */
function countingDb(): { db: AppDatabase; statements: () => number } {
  const log = statementLog(database);
  return { db: log.db, statements: () => log.statements().length };
}

const as = (role: 'sales' | 'analyst'): PurposeContext => ({ tenantId, actor: { type: 'user', id: newId(), role }, purpose: 'sales' });

describe('the call policy', () => {
  it('reads the grant and the catalog once per request context, in one statement, whatever objects the request reaches', async () => {
    const counting = countingDb();
    const ctx = as('sales');
    const contact = await objectPolicy(counting.db, ctx, 'contact', 'contact.read');
    const afterFirst = counting.statements();
    expect(afterFirst).toBe(1);
    const event = await objectPolicy(counting.db, ctx, 'event', 'event.read');
    await objectPolicy(counting.db, ctx, 'contact', 'contact.listed');
    expect(counting.statements()).toBe(afterFirst);
    expect(contact.allowed).toContain('email');
    expect(event.object).toBe('event');
    // Another request (another context object) decides afresh.
    await objectPolicy(counting.db, as('sales'), 'contact', 'contact.read');
    expect(counting.statements()).toBe(afterFirst * 2);
  });

  it('decides afresh after a grant or catalog change forgets the context', async () => {
    const counting = countingDb();
    const ctx = as('sales');
    await objectPolicy(counting.db, ctx, 'contact', 'contact.read');
    forgetCallPolicy(ctx);
    await objectPolicy(counting.db, ctx, 'contact', 'contact.read');
    expect(counting.statements()).toBe(2);
  });

  it('does not remember a refusal: each call is refused, and audited, again', async () => {
    const counting = countingDb();
    const ctx = as('analyst');
    await expect(objectPolicy(counting.db, ctx, 'contact', 'contact.read')).rejects.toMatchObject({ code: 'purpose_not_granted' });
    const afterFirst = counting.statements();
    await expect(objectPolicy(counting.db, ctx, 'contact', 'contact.read')).rejects.toMatchObject({ code: 'purpose_not_granted' });
    expect(counting.statements()).toBeGreaterThan(afterFirst);
    const refusals = (await listAuditEntries(database.db, tenantId, { limit: 1000 })).filter((entry) => entry.actor.id === ctx.actor.id);
    expect(refusals.map((entry) => [entry.action, entry.decision])).toEqual([
      ['contact.read', 'deny'],
      ['contact.read', 'deny'],
    ]);
  });
});
