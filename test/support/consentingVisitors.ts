import type { Database } from '../../src/db/connection.ts';
import { resolveAnonymousIds, systemContext } from '../../src/kernel/index.ts';
import { giveConsent } from './consentLedger.ts';

/*
 * Behaviour for a consent purpose is stored only for a subject whose consent is live
 * (the kernel's consentGate), and an anonymous id never seen has no subject yet. Tests
 * about events rather than consent start from browsers that already agreed: this makes
 * each anonymous id's visitor profile, as the consent widget's first choice would, and
 * gives it the purpose's consent.
 */

/** The visitor id of each anonymous id, made and given consent to the purpose (web analytics unless named). */
export async function consentingVisitors(
  database: Database,
  tenantId: string,
  anonymousIds: readonly string[],
  purposeKey = 'web_analytics',
): Promise<Map<string, string>> {
  const now = new Date().toISOString();
  const ctx = systemContext(tenantId, 'test:consenting-visitors', purposeKey);
  const { subjects } = await database.db.transaction((tx) =>
    resolveAnonymousIds(
      tx,
      ctx,
      [...new Set(anonymousIds)].map((anonymousId) => ({ anonymousId, firstSeenAt: now, lastSeenAt: now })),
    ),
  );
  const visitorIds = new Map<string, string>();
  for (const [anonymousId, subject] of subjects) {
    const id = subject.visitorId ?? subject.contactId;
    await giveConsent(database.db, tenantId, id, purposeKey);
    visitorIds.set(anonymousId, id);
  }
  return visitorIds;
}
