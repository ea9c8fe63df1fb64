import { deleteAccessExportsOf } from '../accessExports/accessExports.ts';
import type { Transaction } from '../../db/connection.ts';
import { eraseSubjectCompletely, requirePurpose, type AccessContext } from '../../kernel/index.ts';
import { recordChange, recordChanges } from '../../platform/changes.ts';
import { invalid } from '../../shared/domainError.ts';
import { eraseSubjectActivities } from './activityErasure.ts';
import { scrubSubjectTraces, type ScrubbedTraces } from './erasureTraces.ts';
import { refuseErasureUnderLegalHold } from './legalHoldCheck.ts';

/*
 * THE one path of every erasure of a data subject (Art. 17): the API's DELETE of a contact,
 * rights requests, the retention sweep. In the caller's transaction:
 *   legal hold checked (Art. 17(3)) → activities linked only to the person erased, shared
 *   ones unlinked and flagged for review → the id scrubbed from webhook deliveries,
 *   idempotency records and job payloads → the kernel's part (erasures row, suppression of
 *   the e-mail, policy states, the record, its events, audit index rows and key) → the
 *   changes announced: `contact.deleted` (the notice recipients need, Art. 19) and the
 *   activities touched.
 * What survives is listed, with its reason, in src/kernel/subjectErasureSurvivors.ts. The
 * key epoch advance that makes old copies unreadable runs later, on its own schedule.
 */

/** Why a subject is erased, stored on its `erasures` row. */
export const erasureReasons = ['staff_deletion', 'erasure_request', 'retention', 'consent_withdrawn'] as const;
export type ErasureReason = (typeof erasureReasons)[number];

export type EraseSubjectOptions = {
  reason: ErasureReason;
  /** The rights request the erasure fulfils (rights_requests.id). */
  requestId?: string;
  /** Who erases, and under which purpose (default legal_compliance, the rights desk's). */
  actor: AccessContext;
};

export type SubjectErasure = {
  subjectId: string;
  kind: 'contact' | 'visitor';
  erasedAt: Date;
  suppressedEmails: number;
  activitiesErased: number;
  activitiesFlagged: number;
  scrubbed: ScrubbedTraces;
};

/** Erases one contact or visitor of the workspace for good; 404 when it is neither. */
export async function eraseSubject(executor: Transaction, workspaceId: string, subjectId: string, options: EraseSubjectOptions): Promise<SubjectErasure> {
  if (options.actor.tenantId !== workspaceId) throw invalid('workspaceId', 'the actor acts in another workspace');
  if (!(erasureReasons as readonly string[]).includes(options.reason)) throw invalid('reason', `one of ${erasureReasons.join(', ')}`);
  const ctx = requirePurpose(options.actor.purpose ? options.actor : { ...options.actor, purpose: 'legal_compliance' });
  await refuseErasureUnderLegalHold(executor, workspaceId, subjectId);
  const activities = await eraseSubjectActivities(executor, ctx, subjectId);
  const scrubbed = await scrubSubjectTraces(executor, workspaceId, subjectId);
  // Their access exports go (files, links and all); the files were sealed under their key anyway.
  await deleteAccessExportsOf(executor, workspaceId, subjectId);
  const erased = await eraseSubjectCompletely(executor, ctx, subjectId, { reason: options.reason, requestId: options.requestId ?? null });
  await recordChange(executor, ctx, { object: erased.kind, recordId: subjectId, kind: 'deleted' });
  if (activities.erased.length > 0) {
    await recordChanges(
      executor,
      ctx,
      activities.erased.map((id) => ({ object: 'activity', recordId: id, kind: 'deleted' as const })),
    );
  }
  if (activities.flagged.length > 0) {
    await recordChanges(
      executor,
      ctx,
      activities.flagged.map((id) => ({ object: 'activity', recordId: id, kind: 'updated' as const, fields: ['links', 'reviewReason'] })),
    );
  }
  return {
    subjectId,
    kind: erased.kind,
    erasedAt: erased.erasedAt,
    suppressedEmails: erased.suppressedEmails,
    activitiesErased: activities.erased.length,
    activitiesFlagged: activities.flagged.length,
    scrubbed,
  };
}
