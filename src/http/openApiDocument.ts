import type { Database } from '../db/connection.ts';
import { loadConfig } from '../config.ts';
import type { Mailer } from '../mail/mailer.ts';
import { buildApp } from './app.ts';

/*
 * The OpenAPI document without a running server or a database: the app is built with its
 * routes (their schemas are the document) over a database that refuses every use, since
 * registering routes reads none. The web app's typed client is generated from it
 * (scripts/webApiTypes.ts). Built outside demo mode, as a deployment serves it: the demo
 * mailbox is not in it.
 */
const noDatabase = new Proxy({} as Database, {
  get(_target, property) {
    throw new Error(`the OpenAPI document is built without a database, but route registration read database.${String(property)}`);
  },
});

const noMail: Mailer = {
  async send() {
    throw new Error('the OpenAPI document is built without a mailer');
  },
  async close() {},
};

export async function buildOpenApiDocument(): Promise<Record<string, unknown>> {
  const app = await buildApp({ database: noDatabase, config: loadConfig({}, { demo: false, logLevel: 'silent' }), mailer: noMail });
  try {
    await app.ready();
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
  }
}
