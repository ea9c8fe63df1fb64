import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/db/ids.ts';
import { ledgerConsentStore } from '../src/kernel/policy/index.ts';
import { applyMigrations, checkedInMigrations, migrationIndexOf } from './support/migrationSteps.ts';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.ts';

// Migration 0018 turns each row of the old `consents` table into ledger events (given at
// given_at with its expiry; withdrawn at withdrawn_at) and folds them into consent_states,
// then drops the table. Shown by applying the checked-in migrations one by one around such rows.

const ledgerMigration = migrationIndexOf(/CREATE TABLE "consent_events"/);

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase({ migrate: false });
});
afterAll(() => database?.close());

const apply = (from: number, to: number) => applyMigrations(database, from, to);

const t = (hours: number) => new Date(Date.UTC(2026, 0, 1) + hours * 3_600_000);

describe('the migration to the consent ledger', () => {
  it('moves every consents row into events and states with the same liveness, and drops the table', async () => {
    expect(ledgerMigration).toBeGreaterThan(0);
    await apply(0, ledgerMigration);
    const tenantId = newId();
    await database.query(`insert into workspaces (id, slug, name) values ($1, $2, 'Before the ledger')`, [tenantId, `ledger-${tenantId.slice(0, 8)}`]);
    const [live, withdrawn, expiring, instant] = [newId(), newId(), newId(), newId()];
    const rows: Array<[string, Date, Date | null, Date | null]> = [
      [live, t(1), null, null],
      [withdrawn, t(1), t(5), null],
      [expiring, t(1), null, t(3)],
      // Given and withdrawn at the same instant: never live, before or after.
      [instant, t(2), t(2), null],
    ];
    for (const [subjectId, givenAt, withdrawnAt, expiresAt] of rows) {
      await database.query(
        `insert into consents (tenant_id, subject_id, purpose_key, given_at, withdrawn_at, expires_at) values ($1, $2, 'email_marketing', $3, $4, $5)`,
        [tenantId, subjectId, givenAt.toISOString(), withdrawnAt?.toISOString() ?? null, expiresAt?.toISOString() ?? null],
      );
    }
    await apply(ledgerMigration, checkedInMigrations.length);

    const events = await database.query<{ subject_id: string; state: string; channel: string }>(
      'select subject_id, state, channel from consent_events where tenant_id = $1 order by recorded_at, id',
      [tenantId],
    );
    expect(events).toHaveLength(6);
    expect(new Set(events.map((event) => event.channel))).toEqual(new Set(['import']));
    const states = await database.query<{ subject_id: string; state: string }>('select subject_id, state from consent_states where tenant_id = $1', [tenantId]);
    expect(Object.fromEntries(states.map((row) => [row.subject_id, row.state]))).toEqual({
      [live]: 'given',
      [withdrawn]: 'withdrawn',
      [expiring]: 'given',
      [instant]: 'withdrawn',
    });
    const liveAt = async (subjectId: string, hours: number) => ledgerConsentStore.isLive(database.db, tenantId, subjectId, 'email_marketing', t(hours));
    // The old rule, at instants around each row's times: given_at <= t < withdrawn_at and t < expires_at.
    expect(await Promise.all([0, 1, 4, 6].map((h) => liveAt(live, h)))).toEqual([false, true, true, true]);
    expect(await Promise.all([0, 1, 4, 5, 6].map((h) => liveAt(withdrawn, h)))).toEqual([false, true, true, false, false]);
    expect(await Promise.all([1, 2, 3, 4].map((h) => liveAt(expiring, h)))).toEqual([true, true, false, false]);
    expect(await Promise.all([1, 2, 3].map((h) => liveAt(instant, h)))).toEqual([false, false, false]);
    const [table] = await database.query<{ name: string | null }>("select to_regclass('public.consents')::text as name");
    expect(table!.name).toBeNull();
  });
});
