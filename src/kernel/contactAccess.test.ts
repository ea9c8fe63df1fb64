import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace } from '../accounts/workspaces.ts';
import { newId } from '../db/ids.ts';
import { openTestDatabase, type TestDatabase } from '../../test/support/testDatabase.ts';
import type { PurposeContext } from './accessContext.ts';
import { listAuditEntries } from './audit.ts';
import { createPermittedContacts, listPermittedContacts, readPermittedContact, updatePermittedContact } from './contactAccess.ts';
import { insertRoleGrants } from './policy/index.ts';
import { ensureTestKernel } from './runtime.ts';

let database: TestDatabase;
let tenantId: string;
const as = (role: 'sales' | 'analyst' | 'marketing', purpose: string): PurposeContext => ({ tenantId, actor: { type: 'user', id: newId(), role }, purpose });

beforeAll(async () => {
  ensureTestKernel();
  database = await openTestDatabase();
  tenantId = (await createWorkspace(database.db, { slug: `access-${process.pid}`, name: 'Access' })).id;
  await insertRoleGrants(database.db, tenantId, [
    { role: 'sales', purposeKey: 'sales' },
    { role: 'marketing', purposeKey: 'email_marketing_existing_customers' },
  ]);
});
afterAll(() => database.close());

const contact = (personal: Record<string, unknown>) => ({ id: newId(), ownerId: null, companyId: null, lifecycleStage: 'lead', source: 'api', personal });

describe('contact access', () => {
  it('refuses a role without the purpose before reading, and records the refusal in the audit trail', async () => {
    const before = (await listAuditEntries(database.db, tenantId, { limit: 1000 })).length;
    await expect(listPermittedContacts(database.db, as('analyst', 'sales'), {})).rejects.toMatchObject({ code: 'purpose_not_granted' });
    await expect(readPermittedContact(database.db, as('analyst', 'sales'), newId())).rejects.toMatchObject({ code: 'purpose_not_granted' });
    const entries = (await listAuditEntries(database.db, tenantId, { limit: 1000 })).slice(before);
    expect(entries.map((entry) => [entry.action, entry.decision, entry.reasons])).toEqual([
      ['contact.listed', 'deny', ['role_not_granted']],
      ['contact.read', 'deny', ['role_not_granted']],
    ]);
  });

  it('refuses a value for an undeclared field with 422 naming the field, and stores nothing', async () => {
    const row = contact({ first_name: 'Shoe', shoe_size: '42' });
    const refused = database.db.transaction((tx) => createPermittedContacts(tx, as('sales', 'sales'), [row]));
    await expect(refused).rejects.toMatchObject({
      code: 'validation_failed',
      issues: [{ field: 'shoe_size', reason: 'not declared in the data catalog for contact' }],
    });
    expect(await readPermittedContact(database.db, as('sales', 'sales'), row.id)).toBeNull();
  });

  it("refuses to write a field the purpose may not use with 403 naming it, in the caller's names", async () => {
    const row = contact({ email: 'soft.opt.in@example.org' });
    await database.db.transaction((tx) => createPermittedContacts(tx, as('marketing', 'email_marketing_existing_customers'), [row]));
    const change = database.db.transaction((tx) =>
      updatePermittedContact(
        tx,
        as('marketing', 'email_marketing_existing_customers'),
        row.id,
        { phone: '+3312345678' },
        { fieldName: (field) => `api.${field}` },
      ),
    );
    await expect(change).rejects.toMatchObject({
      code: 'forbidden',
      issues: [{ field: 'api.phone', reason: 'not declared for the purpose email_marketing_existing_customers' }],
    });
    const read = await readPermittedContact(database.db, as('sales', 'sales'), row.id);
    expect(read?.record.personal).toEqual({ email: 'soft.opt.in@example.org' });
  });
});
