import { PassThrough } from 'node:stream';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { loadConfig, type CandorConfig } from '../../src/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { createWorkspace } from '../../src/accounts/workspaces.ts';
import { createApiKey } from '../../src/accounts/apiKeys.ts';
import { defaultPurposes } from '../../src/privacy/defaultPurposes.ts';
import { roles, type Role } from '../../src/shared/roles.ts';
import type { Mailer, OutgoingMail } from '../../src/mail/mailer.ts';
import { defaultPurposeByRole } from '../../src/crm/seed/demoDefaults.ts';
import { openTestDatabase, type TestDatabase } from './testDatabase.ts';
import { ensureTestKernel } from '../../src/kernel/runtime.ts';

export type TestWorkspace = { id: string; slug: string; keys: Record<Role, string> };

export type TestApp = {
  app: FastifyInstance;
  database: TestDatabase;
  /** Everything the app logged, for tests that scan logs for personal data. */
  logs: string[];
  /** Mail the app sent (captured instead of delivered). */
  mail: OutgoingMail[];
  createWorkspace(slug?: string): Promise<TestWorkspace>;
  /** Sends a request as the given API key, with JSON body and optional purpose. */
  request(key: string, options: InjectOptions & { purpose?: string }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
};

const allPurposes = defaultPurposes.map((purpose) => purpose.key);

/**
 * Each role's key acts by default for a purpose the role is granted in a new workspace
 * (src/kernel/policy/roleGrants.ts); a test names another purpose with `purpose`. Every key
 * may name any purpose, so a refusal comes from the role's grants, not from the key.
 */
export { defaultPurposeByRole };
let workspaceCounter = 0;

/** Builds the real app on a fresh test database; call once per test file (beforeAll). */
export async function createTestApp(
  options: { database?: TestDatabase; mailer?: Mailer; clock?: () => Date; config?: Partial<CandorConfig> } = {},
): Promise<TestApp> {
  ensureTestKernel();
  const database = options.database ?? (await openTestDatabase());
  const logs: string[] = [];
  const logStream = new PassThrough();
  logStream.on('data', (chunk: Buffer) => logs.push(chunk.toString('utf8')));
  const mail: OutgoingMail[] = [];
  const mailer: Mailer = options.mailer ?? {
    async send(message) {
      mail.push(message);
    },
    async close() {},
  };
  const config = loadConfig({}, { logLevel: 'info', demo: false, ...options.config });
  const app = await buildApp({ database, config, mailer, logStream, clock: options.clock });
  await app.ready();
  return {
    app,
    database,
    logs,
    mail,
    async createWorkspace(slug) {
      workspaceCounter += 1;
      const workspace = await createWorkspace(database.db, { slug: slug ?? `ws-${process.pid}-${workspaceCounter}`, name: 'Test workspace' });
      const keys = {} as Record<Role, string>;
      for (const role of roles) {
        keys[role] = (
          await createApiKey(database.db, {
            tenantId: workspace.id,
            name: `${role} key`,
            role,
            purposes: allPurposes,
            defaultPurpose: defaultPurposeByRole[role],
          })
        ).key;
      }
      return { id: workspace.id, slug: workspace.slug, keys };
    },
    request(key, { purpose, headers, ...rest }) {
      return app.inject({ ...rest, headers: { authorization: `Bearer ${key}`, ...(purpose ? { 'candor-purpose': purpose } : {}), ...headers } });
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** The field names a problem+json body's `errors` name, in order. */
export const errorFields = (body: { errors?: Array<{ field: string }> }) => (body.errors ?? []).map((error) => error.field);

/** A response's `withheld` entries as codes, without their plain-language messages (test/withheldMessages.test.ts reads those). */
export const withheldCodes = (body: { withheld?: Array<{ field: string; reason: string }> }) =>
  (body.withheld ?? []).map(({ field, reason }) => ({ field, reason }));
