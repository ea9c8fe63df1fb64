import type { Database, Executor } from '../../db/connection.ts';
import { isUuid } from '../../db/ids.ts';
import { markVisitorMerged, moveVisitorEvents, readVisitor, visitorExists, type PurposeContext, type VisitorRead } from '../../kernel/index.ts';
import { recordChange } from '../../platform/changes.ts';
import { runIdempotent, type IdempotencyRequest } from '../../platform/idempotency.ts';
import { DomainError, invalid, notFound } from '../../shared/domainError.ts';
import { existingContactIds } from '../events/contactReferences.ts';

export async function getVisitor(ctx: PurposeContext, executor: Executor, visitorId: string): Promise<VisitorRead> {
  const read = isUuid(visitorId) ? await readVisitor(executor, ctx, visitorId.toLowerCase()) : null;
  if (!read) throw notFound('visitor');
  return read;
}

/**
 * Merges a pseudonymous visitor into a contact: its events move to the contact, it is
 * marked merged, and its anonymous id now leads to the contact, so later events for the
 * same browser are the contact's. One transaction, recorded as visitor.merged.
 */
export async function mergeVisitor(
  ctx: PurposeContext,
  database: Database,
  visitorId: string,
  contactId: string,
  idempotency: IdempotencyRequest | null,
): Promise<VisitorRead> {
  if (!isUuid(visitorId)) throw notFound('visitor');
  const visitor = visitorId.toLowerCase();
  const contact = contactId.toLowerCase();
  const outcome = await runIdempotent(database, idempotency, async (tx) => {
    if (!(await existingContactIds(tx, ctx.tenantId, [contact])).has(contact)) throw invalid('contactId', 'no contact with this id in this workspace');
    const marked = await markVisitorMerged(tx, ctx, visitor, contact);
    if (marked === 'not_found') throw notFound('visitor');
    if (marked === 'already_merged')
      throw new DomainError('conflict', 'This visitor was already merged into a contact.', [{ field: 'id', reason: 'already merged' }]);
    const movedEvents = await moveVisitorEvents(tx, ctx, visitor, contact);
    await recordChange(tx, ctx, {
      object: 'visitor',
      recordId: visitor,
      kind: 'merged',
      fields: ['mergedIntoContactId', ...(movedEvents > 0 ? ['events'] : [])],
      relatedIds: [contact],
    });
    return { statusCode: 200, recordId: visitor };
  });
  return getVisitor(ctx, database.db, outcome.recordId ?? visitor);
}

/**
 * Before a visitor profile is erased (src/privacy/erasure/subjectErasure.ts eraseSubject, the
 * one path of every erasure): 404 unless it is a visitor of the workspace.
 */
export async function requireVisitorForErasure(tx: Executor, ctx: PurposeContext, visitorId: string): Promise<string> {
  if (!isUuid(visitorId) || !(await visitorExists(tx, ctx, visitorId.toLowerCase()))) throw notFound('visitor');
  return visitorId.toLowerCase();
}
