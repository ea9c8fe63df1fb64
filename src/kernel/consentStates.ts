import { sql } from 'drizzle-orm';
import type { Transaction } from '../db/connection.ts';
import { rowsOf } from '../db/rows.ts';
import type { ConsentEventState } from '../shared/consentVocabulary.ts';
import { notFound } from '../shared/domainError.ts';
import type { PurposeContext } from './accessContext.ts';
import { prepareSubjectChange, type SubjectKind } from './subjectStanding.ts';

/*
 * A subject's latest word per purpose, for a flow that decides which events to append from
 * what it already holds (a TCF string names every purpose each time it is sent; only what
 * changed becomes an event). Read under the subject's lock (the one recordConsent takes),
 * so two calls for the same subject decide one after the other within their transactions.
 * States, times and purpose keys only: no personal value, no audit entry.
 */

export type CurrentConsent = {
  purposeKey: string;
  state: ConsentEventState;
  /** given or renewed, and not expired at `now`. */
  live: boolean;
  lastEventAt: Date;
};

/**
 * The latest event of each named purpose for the subject (purposes with none are absent),
 * after taking the subject's lock: 403 when the context's purpose is not granted, 404 when
 * the subject is not a live contact or visitor of the workspace (of `subjectKind`, if given).
 */
export async function lockedConsentStates(
  tx: Transaction,
  ctx: PurposeContext,
  subjectId: string,
  purposeKeys: readonly string[],
  subjectKind?: SubjectKind,
): Promise<Map<string, CurrentConsent>> {
  const standing = await prepareSubjectChange(tx, ctx, subjectId);
  if (!standing.kind || standing.erasedAt || (subjectKind && standing.kind !== subjectKind)) throw notFound(subjectKind ?? 'contact or visitor');
  if (purposeKeys.length === 0) return new Map();
  const now = new Date().toISOString();
  const rows = rowsOf<{ purpose_key: string; state: ConsentEventState; live: boolean; last_event_at: string | Date }>(
    await tx.execute(sql`
    select purpose_key, state, last_event_at,
           state in ('given', 'renewed') and (expires_at is null or expires_at > ${now}::timestamptz) as live
    from consent_states
    where tenant_id = ${ctx.tenantId}::uuid and subject_id = ${subjectId}::uuid and purpose_key = any(${sql.param([...purposeKeys])}::text[])`),
  );
  return new Map(
    rows.map((row) => [row.purpose_key, { purposeKey: row.purpose_key, state: row.state, live: row.live, lastEventAt: new Date(row.last_event_at) }]),
  );
}
