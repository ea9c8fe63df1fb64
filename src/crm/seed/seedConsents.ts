import { appendConsentHistory, existingConsentEventIds, type ConsentHistoryEvent } from '../../kernel/index.ts';
import { demoConsentHistoryAt, maxDemoConsentEvents } from './consents.ts';
import { demoRecordId, demoSeed, type Seeding } from './seedBatches.ts';

/*
 * The consent phase of the demo seed: the consent histories of contacts [from, to)
 * (consents.ts) written through the kernel's set-wise ledger writer, one statement and one
 * audit entry per batch. Event ids derive from (workspace, contact, n) like every demo id,
 * so a re-run writes only the histories not yet in the ledger.
 */

/** Writes the missing consent histories of contacts [from, to); returns how many contacts got one. */
export async function seedConsents(seeding: Seeding, from: number, to: number): Promise<number> {
  const byContact = new Map<number, ConsentHistoryEvent[]>();
  for (let index = from; index < to; index++) {
    const history = demoConsentHistoryAt(demoSeed, index, seeding.timeline);
    if (history.length === 0) continue;
    const subjectId = demoRecordId(seeding.tenantId, 'contact', index);
    byContact.set(
      index,
      history.map((event, n) => ({ id: demoRecordId(seeding.tenantId, 'consent', index * maxDemoConsentEvents + n), subjectId, ...event })),
    );
  }
  if (byContact.size === 0) return 0;
  // A contact's first event stands for its history: histories are written whole.
  const firstIds = [...byContact.values()].map((events) => events[0].id);
  const written = await existingConsentEventIds(seeding.database.db, seeding.tenantId, firstIds);
  const todo = [...byContact.values()].filter((events) => !written.has(events[0].id));
  if (todo.length === 0) return 0;
  // Keeping the record of who agreed to what is a duty of its own (GDPR Art. 7(1)); the seed acts as admin.
  await seeding.database.db.transaction((tx) => appendConsentHistory(tx, { ...seeding.ctx, purpose: 'legal_compliance' }, todo.flat()));
  return todo.length;
}
