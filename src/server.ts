import type { FastifyInstance } from 'fastify';
import type { CandorConfig } from './config.ts';
import { openDatabase, type Database } from './db/connection.ts';
import { migrateDatabase } from './migrate.ts';
import { refreshStaleStatistics } from './db/statistics.ts';
import { buildApp } from './http/app.ts';
import { createMailer } from './mail/createMailer.ts';
import { requestDeadlineMail } from './mail/requestTemplates.ts';
import { ensureDemoWorkspace, demoPassword, demoUsers } from './crm/seed/demoWorkspace.ts';
import { createDemoKeys, type DemoKey } from './crm/seed/demoKeys.ts';
import { startCandorJobs } from './jobs/candorJobs.ts';
import { discardAbandonedImports } from './crm/import/importService.ts';
import { startKernel } from './kernel/index.ts';

export type RunningServer = {
  app: FastifyInstance;
  database: Database;
  url: string;
  /** Demo mode: a fresh key per demo role, for the start banner only (never logged or stored in plain text). */
  demoKeys: DemoKey[];
  close(): Promise<void>;
};

/** Opens (and locks) the database, migrates it, optionally seeds the demo, and listens. */
export async function startServer(config: CandorConfig): Promise<RunningServer> {
  // Before the database: on PostgreSQL without CANDOR_KEYSTORE this refuses, saying what to set.
  const keyStore = startKernel(config);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, command: 'serve' });
  try {
    // After the database, whose directory may hold the key store and is checked first.
    await keyStore.check();
    await migrateDatabase(database);
    // On the embedded database this process is the only owner, so any import still staging
    // was abandoned by a killed process: its staged personal values are discarded now.
    if (database.kind === 'pglite') await discardAbandonedImports(database, { idleMs: 0 });
    let demoKeys: DemoKey[] = [];
    if (config.demo) {
      const { workspace } = await ensureDemoWorkspace(database, { contacts: config.demoContacts, log: (line) => process.stderr.write(`${line}\n`) });
      demoKeys = await createDemoKeys(database, workspace);
    }
    // PGlite has no autovacuum: statistics missing or far off (a copied data directory, a
    // crash after a load) are refreshed before the first request is planned from them.
    if (database.kind === 'pglite') await refreshStaleStatistics(database.db);
    const mailer = createMailer(config, database);
    const app = await buildApp({ database, config, mailer });
    // Jobs (webhook deliveries) run in this process, on the same database.
    const jobs = await startCandorJobs(database, {
      campaigns: { mailer, publicUrl: config.publicUrl },
      requestDeadlines: (notice) => mailer.send(requestDeadlineMail({ ...notice, publicUrl: config.publicUrl })),
      onError: (failure) => app.log.error(failure, 'job failed'),
    });
    try {
      await app.listen({ port: config.port, host: config.host });
    } catch (error) {
      await jobs.stop();
      throw error;
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://localhost:${port}`;
    let closing: Promise<void> | null = null;
    return {
      app,
      database,
      url,
      demoKeys,
      close() {
        closing ??= (async () => {
          await app.close();
          await jobs.stop();
          await mailer.close();
          await database.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

export function describeStartedServer(server: RunningServer, config: CandorConfig): string {
  const lines = [
    `Candor is running at ${server.url} (${server.database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'})`,
    `  API docs:  ${server.url}/api/docs`,
    `  Log in:    POST ${server.url}/api/v1/auth/login  {"workspace":"demo","email":…,"password":…}`,
  ];
  if (config.demo) {
    lines.push(`  Demo workspace "demo", users (password for all: ${demoPassword}):`);
    for (const user of demoUsers) lines.push(`    ${user.email.padEnd(36)} ${user.role}`);
    // Made fresh at this start (an earlier start's are revoked); shown here only, never logged.
    lines.push('  API keys made for this start (Authorization: Bearer …; the purpose is their default):');
    for (const demoKey of server.demoKeys) lines.push(`    ${demoKey.role.padEnd(16)} ${demoKey.purpose.padEnd(36)} ${demoKey.key}`);
    if (!config.smtpUrl) lines.push(`  Outgoing mail: ${server.url}/dev/mail`);
  }
  return lines.join('\n');
}
