import { randomUUID } from 'node:crypto';
import type { Transaction } from '../../db/connection.ts';
import { appendConsentHistory, type AnonymousSighting, type PurposeContext } from '../../kernel/index.ts';

/*
 * The demo's visitors agreed to web analytics on their first visit (the consent widget's
 * choice), as a real visitor must before anything is tracked: without it the retention
 * sweep, which keeps a visitor only while a purpose justifies it, would erase every demo
 * visitor at its first run.
 */

/** Appends web analytics `given` at the first sighting of each visitor profile the seed just created. */
export async function giveNewVisitorsConsent(
  tx: Transaction,
  ctx: PurposeContext,
  sightings: ReadonlyMap<string, AnonymousSighting>,
  subjects: ReadonlyMap<string, { visitorId: string | null }>,
  createdVisitorIds: readonly string[],
): Promise<void> {
  const created = new Set(createdVisitorIds);
  const events = [...subjects].flatMap(([anonymousId, subject]) =>
    subject.visitorId !== null && created.has(subject.visitorId)
      ? [
          {
            id: randomUUID(),
            subjectId: subject.visitorId,
            purposeKey: 'web_analytics',
            state: 'given' as const,
            channel: 'widget' as const,
            recordedAt: new Date(sightings.get(anonymousId)!.firstSeenAt),
          },
        ]
      : [],
  );
  // Keeping the record of who agreed to what is a duty of its own (GDPR Art. 7(1)), as for the contacts' histories.
  if (events.length > 0) await appendConsentHistory(tx, { ...ctx, purpose: 'legal_compliance' }, events);
}
