import { grantTestDefaults } from './contactPolicy.ts';
import { statementLog, type StatementLog } from './statementLog.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './testApp.ts';
import { openTestDatabase } from './testDatabase.ts';

/**
 * A test app whose database records every statement, and one workspace with the test
 * grants that has written once: its first write makes its vault epoch and chain head,
 * which is not what a write costs. For tests that count a request's statements.
 */
export async function loggedTestApp(): Promise<{ t: TestApp; log: StatementLog; workspace: TestWorkspace }> {
  const database = await openTestDatabase();
  const log = statementLog(database);
  const t = await createTestApp({ database: { ...database, db: log.db } });
  const workspace = await t.createWorkspace();
  await grantTestDefaults(t, workspace.id);
  await t.request(workspace.keys.admin, { method: 'POST', url: '/api/v1/contacts', payload: { firstName: 'First' } });
  return { t, log, workspace };
}
