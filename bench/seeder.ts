import { randomBytes } from 'node:crypto';
import { createProgressBar } from '../src/cli/progressBar.ts';
import { newId } from '../src/db/ids.ts';
import { contactBlindTokens } from '../src/kernel/lookupTokens.ts';
import type { BenchEnvironment } from './benchEnvironment.ts';
import { contactAt } from './fixtures.ts';
import { sealField, wrapKey } from './independent/crypto.ts';
import type { KeySource } from './independent/sealedReads.ts';
import { copyInsert, multiRowInsert, rawTransaction } from './rawSql.ts';

/*
 * Fast seeding of a workspace for the size dimension: rows written straight to the tables
 * in Candor's stored formats — COPY FROM STDIN (pg-copy-streams) on PostgreSQL, multi-row
 * INSERT on PGlite — 5,000 contacts per transaction, with a progress bar. Values are sealed
 * with the bench's own node:crypto code; the lookup tokens come from Candor's
 * contactBlindTokens, so that Candor's search finds seeded people whatever its token scheme.
 * The seeder runs no ANALYZE: statistics are what Candor and PostgreSQL's autovacuum make them.
 */

const chunkContacts = 5_000;
const contactColumns = ['tenant_id', 'id', 'lifecycle_stage', 'source', 'personal', 'created_at', 'updated_at', 'last_activity_at'];
const keyColumns = ['tenant_id', 'subject_id', 'key_version', 'epoch', 'wrapped_key'];
const tokenColumns = ['tenant_id', 'object', 'field', 'token', 'record_id'];
const eventColumns = ['tenant_id', 'id', 'contact_id', 'type', 'occurred_at', 'received_at', 'properties'];
const day = 86_400_000;

export type SeedPlan = { contacts: number; events: number };
export type SeedReport = { contactIds: string[]; seconds: number; rowsPerSecond: number; rows: number };

async function currentEpoch(env: BenchEnvironment, keys: KeySource): Promise<{ epoch: number; epochKey: Buffer }> {
  const [row] = await env.database.query<{ epoch: number }>("select epoch from vault_epochs where tenant_id = $1 and state = 'current'", [env.tenantId]);
  const epochKey = row && (await keys.getEpochKey(env.tenantId, row.epoch));
  if (!epochKey) throw new Error('seed: the workspace has no current epoch (create one contact through Candor first)');
  return { epoch: row.epoch, epochKey };
}

async function writeRows(env: BenchEnvironment, tables: Array<{ table: string; columns: string[]; rows: unknown[][] }>): Promise<void> {
  if (env.database.kind === 'postgres') {
    // One transaction per table keeps COPY simple; a failed seed leaves a half-seeded scratch database, dropped anyway.
    for (const { table, columns, rows } of tables) if (rows.length > 0) await copyInsert(env.database, table, columns, rows);
    return;
  }
  await rawTransaction(env.database, async (query) => {
    for (const { table, columns, rows } of tables) await multiRowInsert(query, table, columns, rows, Math.floor(30_000 / columns.length));
  });
}

/** Contacts `first`…`first + count - 1` of the bench's data (and `eventsPerContact` events each), written fast. */
export async function seedFast(env: BenchEnvironment, keys: KeySource, first: number, plan: SeedPlan): Promise<SeedReport> {
  const { epoch, epochKey } = await currentEpoch(env, keys);
  const blindKey = await keys.blindIndexKey(env.tenantId);
  const eventsPerContact = plan.events / plan.contacts;
  const total = plan.contacts + plan.events;
  const bar = createProgressBar({ label: `seed ${plan.contacts.toLocaleString('en')} contacts + ${plan.events.toLocaleString('en')} events`, total });
  const started = performance.now();
  const contactIds: string[] = [];
  const tenantId = env.tenantId;
  try {
    for (let start = 0; start < plan.contacts; start += chunkContacts) {
      const count = Math.min(chunkContacts, plan.contacts - start);
      const keyRows: unknown[][] = [];
      const contactRows: unknown[][] = [];
      const tokenRows: unknown[][] = [];
      const eventRows: unknown[][] = [];
      for (let offset = 0; offset < count; offset += 1) {
        const index = first + start + offset;
        const contact = contactAt(index);
        const subjectKey = randomBytes(32);
        const personal: Record<string, string> = {};
        for (const [field, value] of Object.entries(contact.personal))
          if (value != null) personal[field] = sealField(subjectKey, 1, tenantId, contact.id, field, value);
        const created = contact.createdAt ?? new Date();
        // Three in ten never had an activity: lastActivityAt is NULL for them, as in a real CRM.
        const lastActivity = index % 10 < 3 ? null : new Date(created.getTime() + ((index * 7919) % 200) * day).toISOString();
        keyRows.push([tenantId, contact.id, 1, epoch, wrapKey(epochKey, tenantId, contact.id, 1, epoch, subjectKey)]);
        contactRows.push([
          tenantId,
          contact.id,
          contact.lifecycleStage,
          contact.source,
          JSON.stringify(personal),
          created.toISOString(),
          created.toISOString(),
          lastActivity,
        ]);
        for (const token of contactBlindTokens(blindKey, contact.personal)) tokenRows.push([tenantId, 'contact', token.field, token.token, contact.id]);
        const events = Math.floor((index + 1) * eventsPerContact) - Math.floor(index * eventsPerContact);
        for (let event = 0; event < events; event += 1) {
          const id = newId();
          const at = new Date(created.getTime() + event * 3_600_000).toISOString();
          const properties = { page: `/pricing/${event % 7}`, campaign: `c${index % 13}` };
          const sealed = JSON.stringify({ properties: sealField(subjectKey, 1, tenantId, contact.id, `properties:${id}`, properties) });
          eventRows.push([tenantId, id, contact.id, 'page_view', at, at, sealed]);
        }
        contactIds.push(contact.id);
      }
      await writeRows(env, [
        { table: 'subject_keys', columns: keyColumns, rows: keyRows },
        { table: 'contacts', columns: contactColumns, rows: contactRows },
        { table: 'lookup_tokens', columns: tokenColumns, rows: tokenRows },
        { table: 'events', columns: eventColumns, rows: eventRows },
      ]);
      bar.tick(count + eventRows.length);
    }
  } catch (error) {
    bar.fail();
    throw error;
  }
  bar.finish();
  const seconds = (performance.now() - started) / 1000;
  return { contactIds, seconds, rows: total, rowsPerSecond: total / seconds };
}
