import { sql } from 'drizzle-orm';
import type { Executor, Transaction } from '../db/connection.ts';
import { newId } from '../db/ids.ts';
import { rowsOf } from '../db/rows.ts';
import type { ConsentChannel, ConsentEventState } from '../shared/consentVocabulary.ts';
import { decodeCursor, encodeCursor, type CursorShape } from '../shared/cursor.ts';
import { invalid } from '../shared/domainError.ts';
import { type PurposeContext, actorKey } from './accessContext.ts';
import { appendAudit } from './audit.ts';
import { inTransaction } from './audit/head.ts';
import { type ConsentEvidence, sealEvidence } from './consentRecords.ts';
import { appendConsentEvents, type LedgerEvent } from './policy/consentLedger.ts';
import { stampNotices } from './policy/noticeRenewals.ts';
import { requireGrantedPurpose } from './policy/purposeGrant.ts';
import { kernelKeyStore } from './runtime.ts';
import { prepareSubjectChange } from './subjectStanding.ts';
import { ensureSubjectKeys } from './vault/index.ts';

/*
 * Opt-outs of sale, sharing and targeted advertising (CCPA/CPRA): one kind of ledger event,
 * `opted_out`, written for every subject × purpose named whose latest word is not already an
 * opt-out, so a signal that repeats on every request (Global Privacy Control) records once.
 *
 * Unlike recordConsent, the purposes opted out of need not be granted to the actor's role:
 * an opt-out only narrows what may be done, and whoever hears it (an analytics key that
 * ingests the visitor's page view) must be able to write it down. The context's own purpose
 * must be granted, as for any write about a person.
 *
 * An opt-out that ends a live opt-in (the latest event was given or renewed and had not
 * expired) is honoured all the same; it is reported as overriding it, and such conflicts are
 * listed for the privacy officer (listOptOutConflicts), who may want to ask the person.
 */

export type OptOutRequest = {
  subjectIds: readonly string[];
  purposeKeys: readonly string[];
  channel: ConsentChannel;
  /** What the channel knows (the signal, the route); sealed under each subject's key. */
  evidence?: ConsentEvidence;
};

export type RecordedOptOut = {
  id: string;
  subjectId: string;
  purposeKey: string;
  recordedAt: Date;
  /** The live opt-in this opt-out ended, if any. */
  overrode: 'given' | 'renewed' | null;
};

type CurrentState = { subject_id: string; purpose_key: string; state: ConsentEventState; live: boolean };

/**
 * Records the opt-outs not yet on record, in the caller's transaction, with one audit entry
 * (`consent.opted_out`, the purpose keys, the channel, how many overrode an opt-in). Subjects
 * that are gone or erased are skipped: a signal about nobody records nothing. Unknown purpose
 * keys are the caller's mistake (422 purposeKeys).
 */
export async function recordOptOuts(tx: Transaction, ctx: PurposeContext, request: OptOutRequest): Promise<RecordedOptOut[]> {
  await requireGrantedPurpose(tx, ctx);
  const subjects: string[] = [];
  // One subject at a time, in a fixed order: each is locked as recordConsent locks it.
  for (const subjectId of [...new Set(request.subjectIds.map((id) => id.toLowerCase()))].sort()) {
    const standing = await prepareSubjectChange(tx, ctx, subjectId);
    if (standing.kind && !standing.erasedAt) subjects.push(subjectId);
  }
  const purposeKeys = [...new Set(request.purposeKeys)].sort();
  if (subjects.length === 0 || purposeKeys.length === 0) return [];
  const known = rowsOf<{ key: string }>(
    await tx.execute(sql`select key from purposes where tenant_id = ${ctx.tenantId}::uuid and key = any(${sql.param(purposeKeys)}::text[])`),
  );
  if (known.length !== purposeKeys.length) throw invalid('purposeKeys', 'every purpose must be one of this workspace');
  const now = new Date();
  const current = new Map(
    rowsOf<CurrentState>(
      await tx.execute(sql`
      select subject_id, purpose_key, state,
             state in ('given', 'renewed') and (expires_at is null or expires_at > ${now.toISOString()}::timestamptz) as live
      from consent_states
      where tenant_id = ${ctx.tenantId}::uuid and subject_id = any(${sql.param(subjects)}::uuid[]) and purpose_key = any(${sql.param(purposeKeys)}::text[])`),
    ).map((row) => [`${row.subject_id}/${row.purpose_key}`, row]),
  );
  const due = subjects.flatMap((subjectId) =>
    purposeKeys.flatMap((purposeKey) => {
      const state = current.get(`${subjectId}/${purposeKey}`);
      if (state?.state === 'opted_out') return [];
      const overrode = state?.live ? (state.state as 'given' | 'renewed') : null;
      return [{ id: newId(), subjectId, purposeKey, recordedAt: now, overrode }];
    }),
  );
  if (due.length === 0) return [];
  const keys = request.evidence ? await ensureSubjectKeys(tx, kernelKeyStore(), ctx.tenantId, subjects) : undefined;
  const actor = actorKey(ctx.actor);
  const events = due.map(
    (optOut): LedgerEvent => ({
      id: optOut.id,
      subjectId: optOut.subjectId,
      purposeKey: optOut.purposeKey,
      state: 'opted_out',
      recordedAt: now,
      expiresAt: null,
      noticeVersion: null,
      noticeHash: null,
      channel: request.channel,
      evidence: keys && request.evidence ? sealEvidence(keys.get(optOut.subjectId)!, optOut.id, request.evidence) : null,
      actor,
    }),
  );
  await appendConsentEvents(tx, ctx.tenantId, await stampNotices(tx, ctx.tenantId, events));
  await appendAudit(tx, ctx, {
    action: 'consent.opted_out',
    object: 'subject',
    recordIds: due.map((optOut) => optOut.id),
    subjectIds: [...new Set(due.map((optOut) => optOut.subjectId))],
    detail: { channel: request.channel, purposeKeys: [...new Set(due.map((optOut) => optOut.purposeKey))], overrode: due.filter((o) => o.overrode).length },
  });
  return due;
}

export type OptOutConflict = {
  /** The opt-out event. */
  eventId: string;
  subjectId: string;
  purposeKey: string;
  optedOutAt: Date;
  /** The live opt-in it ended. */
  overrode: 'given' | 'renewed';
  overrodeEventId: string;
  optedInAt: Date;
};

export type OptOutConflictPage = { data: OptOutConflict[]; nextCursor: string | null };

const conflictCursor: CursorShape = { sort: '-opted_out_at', value: 'timestamp' };

type ConflictRow = {
  id: string;
  subject_id: string;
  purpose_key: string;
  recorded_at: string | Date;
  prev_id: string;
  prev_state: 'given' | 'renewed';
  prev_at: string | Date;
};

/**
 * Opt-outs through `channel` that ended a live opt-in, newest first, a page at a time: ids,
 * purpose keys and times, never evidence. Read from the ledger itself (each opt-out and the
 * event before it for the same subject and purpose). One audit entry per page.
 */
export function listOptOutConflicts(
  executor: Executor,
  ctx: PurposeContext,
  query: { channel: ConsentChannel; cursor?: string; limit: number },
): Promise<OptOutConflictPage> {
  return inTransaction(executor, async (tx) => {
    await requireGrantedPurpose(tx, ctx);
    const after = query.cursor ? decodeCursor(query.cursor, conflictCursor) : null;
    const rows = rowsOf<ConflictRow>(
      await tx.execute(sql`
      select o.id, o.subject_id, o.purpose_key, o.recorded_at, p.id as prev_id, p.state as prev_state, p.recorded_at as prev_at
      from consent_events o
      join lateral (
        select e.id, e.state, e.recorded_at, e.expires_at from consent_events e
        where e.tenant_id = o.tenant_id and e.subject_id = o.subject_id and e.purpose_key = o.purpose_key
          and (e.recorded_at, e.id) < (o.recorded_at, o.id)
        order by e.recorded_at desc, e.id desc limit 1) p on true
      where o.tenant_id = ${ctx.tenantId}::uuid and o.state = 'opted_out' and o.channel = ${query.channel}
        and p.state in ('given', 'renewed') and (p.expires_at is null or p.expires_at > o.recorded_at)
        ${after ? sql`and (o.recorded_at, o.id) < (${after.value}::timestamptz, ${after.id}::uuid)` : sql``}
      order by o.recorded_at desc, o.id desc
      limit ${query.limit + 1}`),
    );
    const page = rows.slice(0, query.limit).map(
      (row): OptOutConflict => ({
        eventId: row.id,
        subjectId: row.subject_id,
        purposeKey: row.purpose_key,
        optedOutAt: new Date(row.recorded_at),
        overrode: row.prev_state,
        overrodeEventId: row.prev_id,
        optedInAt: new Date(row.prev_at),
      }),
    );
    await appendAudit(tx, ctx, {
      action: 'consent.conflicts_read',
      object: 'subject',
      subjectIds: [...new Set(page.map((conflict) => conflict.subjectId))],
      detail: { channel: query.channel, conflicts: page.length },
    });
    const last = page.at(-1);
    const nextCursor =
      rows.length > query.limit && last ? encodeCursor({ sort: conflictCursor.sort, value: last.optedOutAt.toISOString(), id: last.eventId }) : null;
    return { data: page, nextCursor };
  });
}
