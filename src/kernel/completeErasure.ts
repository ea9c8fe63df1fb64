import type { Transaction } from '../db/connection.ts';
import { notFound } from '../shared/domainError.ts';
import type { PurposeContext } from './accessContext.ts';
import { deletePermittedContacts } from './contactAccess.ts';
import { shredSubjectRequestIdentities } from './requestIdentity.ts';
import { subjectKindOf, type SubjectKind } from './subjectStanding.ts';
import { forgetSubjectStates, recordErasure, type ErasureDetails } from './subjectStateWriters.ts';
import { suppressSubjectEmails } from './suppressions.ts';
import { deleteVisitors } from './visitorRecords.ts';

/*
 * The kernel's part of erasing one data subject (Art. 17), in the caller's transaction —
 * everything that touches personal data or the policy's knowledge of the subject:
 *  1. the `erasures` row (with its reason), audited as `subject.erased`: from now on no
 *     purpose may process the id;
 *  2. a suppression of each e-mail address the subject's lookup tokens hold (not for a
 *     merge's duplicate, whose person lives on in the survivor);
 *  3. what the policy held on the subject besides the ledger: restrictions, objections,
 *     current consent states, pending double opt-in requests, rows staged by an import;
 *  4. the identities people gave in rights requests about the subject, and in requests that
 *     matched nobody but were made with the subject's e-mail address (found by its blind
 *     index, before the tokens go); each sealed under its request's own key: shredded; the
 *     requests stay as the record of the right answered (not for a merge's duplicate);
 *  5. the record itself with its tokens, events, merged visitor profiles, links, audit
 *     index rows and key (contactRecords.deleteContacts / visitorRecords.deleteVisitors).
 * What survives, and why, is listed in subjectErasureSurvivors.ts. Erasures outside the
 * kernel's tables (activities, webhook deliveries, idempotency records, job payloads) are
 * src/privacy/erasure/'s; every erasure goes through its eraseSubject.
 */

export type CompleteErasureOptions = ErasureDetails & {
  /** False for a merge's duplicate: the address lives on in the survivor. Default true. */
  suppress?: boolean;
};

export type CompleteErasure = { kind: SubjectKind; erasedAt: Date; suppressedEmails: number };

/** Erases one contact or visitor of the workspace for good; 404 when it is neither (or already gone). */
export async function eraseSubjectCompletely(
  tx: Transaction,
  ctx: PurposeContext,
  subjectId: string,
  options: CompleteErasureOptions,
): Promise<CompleteErasure> {
  const kind = await subjectKindOf(tx, ctx.tenantId, subjectId);
  if (!kind) throw notFound('contact or visitor');
  const { erasedAt } = await recordErasure(tx, ctx, subjectId, { reason: options.reason ?? null, requestId: options.requestId ?? null });
  const suppressedEmails = kind === 'contact' && options.suppress !== false ? await suppressSubjectEmails(tx, ctx.tenantId, [subjectId], erasedAt) : 0;
  await forgetSubjectStates(tx, ctx.tenantId, subjectId);
  // A merge's duplicate lives on in the survivor: its requests, and those made with its address, keep their identity.
  if (options.suppress !== false) await shredSubjectRequestIdentities(tx, ctx.tenantId, subjectId);
  if (kind === 'contact') {
    if ((await deletePermittedContacts(tx, ctx, [subjectId])).length === 0) throw notFound('contact');
  } else {
    await deleteVisitors(tx, ctx, [subjectId]);
  }
  return { kind, erasedAt, suppressedEmails };
}
