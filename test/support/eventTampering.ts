import type { TestDatabase } from './testDatabase.ts';

/**
 * Swaps the sealed properties of a contact's first two events with raw SQL, as an attacker
 * with write access to the table could: each ciphertext is then bound to the other event.
 * Returns the ids of the two events.
 */
export async function swapSealedEventProperties(database: TestDatabase, tenantId: string, contactId: string): Promise<string[]> {
  const rows = await database.query<{ id: string; properties: unknown }>('select id, properties from events where tenant_id = $1 and contact_id = $2', [
    tenantId,
    contactId,
  ]);
  for (const [target, source] of [
    [rows[0], rows[1]],
    [rows[1], rows[0]],
  ]) {
    await database.query('update events set properties = $3::jsonb where tenant_id = $1 and id = $2', [tenantId, target.id, JSON.stringify(source.properties)]);
  }
  return rows.slice(0, 2).map((row) => row.id);
}
