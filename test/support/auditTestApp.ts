import { afterAll, beforeAll } from 'vitest';
import { configureAudit, type AuditKeys } from '../../src/kernel/audit.ts';
import { createTestApp, type TestApp } from './testApp.ts';

/** How often the audit tests' chains take a signed checkpoint: often, so that short chains have some. */
export const checkpointEvery = 10;

/**
 * The calling test file's own app (createTestApp in its beforeAll, closed in its afterAll),
 * whose audit trail signs a checkpoint every `checkpointEvery` entries with `keys`: the
 * file's own, for tests that verify against them. Getters, as the app opens in beforeAll.
 */
export function useAuditTestApp(keys: AuditKeys) {
  let app: TestApp | undefined;
  beforeAll(async () => {
    app = await createTestApp();
    // After createTestApp, which gives the audit trail the test kernel's key store.
    configureAudit({ keys, checkpointEvery });
  });
  afterAll(() => app?.close());
  const t = (): TestApp => {
    if (!app) throw new Error('The audit test app opens in beforeAll');
    return app;
  };
  return { t, database: () => t().database, db: () => t().database.db };
}
