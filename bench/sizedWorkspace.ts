import { stringify } from 'csv-stringify/sync';
import { expectStatus, inProcessClient, type ApiClient } from './apiClient.ts';
import type { BenchEnvironment } from './benchEnvironment.ts';
import { contactAt } from './fixtures.ts';
import type { KeySource, RawRows } from './independent/sealedReads.ts';
import { seedFast, type SeedReport } from './seeder.ts';

/**
 * A workspace of a given size and what figures need to measure it: Candor's in-process
 * client, raw queries straight to the driver, and the key source the baselines read.
 */
export type SizedWorkspace = {
  env: BenchEnvironment;
  keys: KeySource;
  contacts: number;
  client: ApiClient;
  query: RawRows;
  seed: SeedReport;
  /** Index (in the bench's data) of the next contact that was never stored. */
  nextIndex: number;
};

/** Contacts imported through Candor's own bulk import (POST /imports) after the fast seed. */
export const importedContacts = 1_000;

const csvOf = (first: number, count: number) =>
  stringify(
    Array.from({ length: count }, (_, offset) => {
      const { personal } = contactAt(first + offset);
      return [personal.first_name, personal.last_name, personal.email, personal.phone, personal.job_title, personal.city, personal.country];
    }),
    { header: true, columns: ['first_name', 'last_name', 'email', 'phone', 'job_title', 'city', 'country'] },
  );

/**
 * Seeds `contacts` contacts: one through POST /contacts (which creates the workspace's key
 * epoch as Candor does), the bulk fast (bench/seeder.ts), and the last 1,000 through
 * Candor's CSV import — so whatever Candor does after a bulk load (statistics) has run.
 */
export async function sizedWorkspace(env: BenchEnvironment, keys: KeySource, contacts: number, events = 0): Promise<SizedWorkspace> {
  const client = inProcessClient(env);
  const first = contactAt(0).personal;
  await expectStatus(
    client,
    { method: 'POST', url: '/api/v1/contacts', body: { firstName: first.first_name, lastName: first.last_name, email: first.email } },
    201,
  );
  const fast = Math.max(0, contacts - 1 - importedContacts);
  const seed = await seedFast(env, keys, 1, { contacts: fast, events: Math.round((events * fast) / contacts) });
  const imported = Math.min(importedContacts, contacts - 1);
  if (imported > 0) {
    const body = await expectStatus(client, { method: 'POST', url: '/api/v1/imports?object=contact', body: undefined, csv: csvOf(1 + fast, imported) }, 201);
    const report = JSON.parse(body) as { data: { status: string } };
    if (report.data.status !== 'published') throw new Error(`the import ended ${report.data.status}: ${body.slice(0, 300)}`);
  }
  const query: RawRows = (text, params) => env.database.query(text, params);
  return { env, keys, contacts, client, query, seed, nextIndex: contacts + 1 };
}
