import { randomUUID } from 'node:crypto';

/*
 * The consent histories the `consent` figures read: plain data, no Candor code, shared by
 * Candor's side (written into its ledger) and the baseline (folded into its own table).
 * Every subject has two events about one purpose, the second recorded two days or more
 * after `base`, so a question about `base` + 1 day is answered from the ledger for every
 * subject; some consents expire, some are withdrawn, some were refused first.
 */

export type BenchConsentEvent = {
  id: string;
  subjectId: string;
  state: 'given' | 'refused' | 'withdrawn' | 'renewed';
  recordedAt: Date;
  expiresAt: Date | null;
};

const day = 86_400_000;

export function consentHistories(subjects: number, base: Date): { subjectIds: string[]; events: BenchConsentEvent[] } {
  const subjectIds: string[] = [];
  const events: BenchConsentEvent[] = [];
  const at = (offset: number) => new Date(base.getTime() + offset);
  for (let index = 0; index < subjects; index += 1) {
    const subjectId = randomUUID();
    subjectIds.push(subjectId);
    const second = (index % 997) * 1000;
    // A fifth of the consents given last expired a day ago; the rest do not expire.
    const expiry = index % 5 === 0 ? at(4 * day) : null;
    const event = (state: BenchConsentEvent['state'], offset: number, expiresAt: Date | null = null) =>
      events.push({ id: randomUUID(), subjectId, state, recordedAt: at(offset + second), expiresAt });
    if (index % 3 === 0) {
      event('given', 0);
      event('withdrawn', 2 * day);
    } else if (index % 3 === 1) {
      event('given', 0);
      event('renewed', 2 * day, expiry);
    } else {
      event('refused', 0);
      event('given', 2 * day, expiry);
    }
  }
  return { subjectIds, events };
}

/** How many subjects' consent is live at `instant`, replaying the histories (the figures' answer key). */
export function liveAt(events: readonly BenchConsentEvent[], instant: Date): number {
  const latest = new Map<string, BenchConsentEvent>();
  for (const event of events) {
    if (event.recordedAt.getTime() > instant.getTime()) continue;
    const previous = latest.get(event.subjectId);
    if (!previous || previous.recordedAt.getTime() <= event.recordedAt.getTime()) latest.set(event.subjectId, event);
  }
  let live = 0;
  for (const event of latest.values()) {
    if ((event.state === 'given' || event.state === 'renewed') && (event.expiresAt === null || event.expiresAt.getTime() > instant.getTime())) live += 1;
  }
  return live;
}
