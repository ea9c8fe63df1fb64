import { addUser } from '../../src/accounts/users.ts';
import { newId } from '../../src/db/ids.ts';
import { companies, contacts } from '../../src/db/schema/index.ts';
import type { TestApp } from './testApp.ts';

/*
 * Records the sales tests link to: users (owners, assignees), and bare contacts and
 * companies written straight to their non-personal columns, so the deal, activity and
 * purchase tests do not depend on the contact API.
 */

let userCounter = 0;

export async function addTestUser(t: TestApp, tenantId: string): Promise<string> {
  userCounter += 1;
  const user = await addUser(t.database.db, { tenantId, email: `seller${userCounter}@example.test`, displayName: `Seller ${userCounter}`, role: 'sales' });
  return user.id;
}

export async function addBareContact(t: TestApp, tenantId: string): Promise<string> {
  const id = newId();
  await t.database.db.insert(contacts).values({ tenantId, id, source: 'api' });
  return id;
}

export async function addBareCompany(t: TestApp, tenantId: string, name = 'Acme GmbH'): Promise<string> {
  const id = newId();
  await t.database.db.insert(companies).values({ tenantId, id, name, source: 'api' });
  return id;
}

/** The field named by the first error of a problem+json body. */
export const firstErrorField = (body: { errors?: Array<{ field: string }> }): string | undefined => body.errors?.[0]?.field;
