import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createWorkspace } from '../../../src/accounts/workspaces.ts';
import { loadConfig } from '../../../src/config.ts';
import { openDatabase, type Database } from '../../../src/db/connection.ts';
import { buildApp } from '../../../src/http/app.ts';
import { ensureTestKernel } from '../../../src/kernel/runtime.ts';
import { migrateDatabase } from '../../../src/migrate.ts';
import { createFormKey } from '../../../src/privacy/formKeys.ts';
import { pgliteTemplate } from '../../support/databaseTemplates.ts';

/*
 * The two sides of an embedded consent widget: a Candor of its own, in this process on an
 * in-memory database whose raw tables the test reads (the shared demo server's database
 * belongs to its own process), and a plain site on another origin whose page embeds the
 * widget's script from that Candor. No test database helper: the browser tests stay out of
 * the PostgreSQL run.
 */

export type WidgetCandor = { url: string; database: Database; tenantId: string; formKey: string; close(): Promise<void> };

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

/** Candor at http://127.0.0.1:<port>, with a workspace whose form key allows the site's origin. */
export async function startWidgetCandor(siteOrigin: string): Promise<WidgetCandor> {
  ensureTestKernel();
  const database = await openDatabase({ dataDir: 'memory', loadDataDir: await pgliteTemplate() });
  await migrateDatabase(database);
  const config = loadConfig({}, { logLevel: 'warn', demo: false });
  const mailer = { async send() {}, async close() {} };
  const app: FastifyInstance = await buildApp({ database, config, mailer });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const workspace = await createWorkspace(database.db, { slug: 'widget-shop', name: 'Widget shop' });
  const key = await createFormKey(database.db, workspace.id, { name: 'Site widget', allowedOrigins: [siteOrigin] });
  return {
    url,
    database,
    tenantId: workspace.id,
    formKey: key.publicKey,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

export type Site = { origin: string; server: Server };

/**
 * A site on its own origin (http://localhost:<port>, another host than Candor's) serving
 * `page(path)` as HTML at every path. Start it first: Candor's form key names its origin.
 */
export async function startSite(page: (path: string) => string): Promise<Site> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/favicon.ico') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(path));
  });
  const address = await listen(server);
  return { origin: address.replace('127.0.0.1', 'localhost'), server };
}

export const closeSite = (site: Site) => new Promise<void>((resolve) => site.server.close(() => resolve()));
