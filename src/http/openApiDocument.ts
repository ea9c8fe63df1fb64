import { Writable } from 'node:stream';
import type { CandorConfig } from '../config.ts';
import type { Database } from '../db/connection.ts';
import type { Mailer } from '../mail/mailer.ts';
import { buildApp } from './app.ts';

/*
 * The OpenAPI document without a server: the app is built and its routes registered, but
 * no database is opened and nothing listens, so a build (the web app's client generator)
 * can write the document in about a second. The document is the one GET /api/openapi.json
 * serves with the same configuration.
 */

// Registering routes reads nothing from the database; if that changes, this says so.
const noDatabase = new Proxy({} as Database, {
  get(_target, property) {
    throw new Error(`The OpenAPI document is built without a database, but building the app read database.${String(property)}`);
  },
});

const noMail: Mailer = {
  async send() {
    throw new Error('The OpenAPI document is built without a mailer');
  },
  async close() {},
};

export async function buildOpenApiDocument(config: CandorConfig): Promise<Record<string, unknown>> {
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  const app = await buildApp({ database: noDatabase, config, mailer: noMail, logStream: discard });
  try {
    await app.ready();
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
  }
}
