import type { Database, Executor } from '../../db/connection.ts';
import { isUuid } from '../../db/ids.ts';
import type { AccessContext } from '../../kernel/accessContext.ts';
import { moveVisitorEvents } from '../../kernel/eventRecords.ts';
import { markVisitorMerged, readVisitor, type VisitorRecord } from '../../kernel/visitorRecords.ts';
import { recordChange } from '../../platform/changes.ts';
import { runIdempotent, type IdempotencyRequest } from '../../platform/idempotency.ts';
import { DomainError, invalid, notFound } from '../../shared/domainError.ts';
import { existingContactIds } from '../events/contactReferences.ts';

export async function getVisitor(ctx: AccessContext, executor: Executor, visitorId: string): Promise<VisitorRecord> {
  const visitor = isUuid(visitorId) ? await readVisitor(executor, ctx, visitorId.toLowerCase()) : null;
  if (!visitor) throw notFound('visitor');
  return visitor;
}

/**
 * Merges a pseudonymous visitor into a contact: its events move to the contact, it is
 * marked merged, and its anonymous id now leads to the contact, so later events for the
 * same browser are the contact's. One transaction, recorded as visitor.merged.
 */
export async function mergeVisitor(ctx: AccessContext, database: Database, visitorId: string, contactId: string, idempotency: IdempotencyRequest | null): Promise<VisitorRecord> {
  if (!isUuid(visitorId)) throw notFound('visitor');
  const visitor = visitorId.toLowerCase();
  const contact = contactId.toLowerCase();
  const outcome = await runIdempotent(database, idempotency, async (tx) => {
    if (!(await existingContactIds(tx, ctx.tenantId, [contact])).has(contact)) throw invalid('contactId', 'no contact with this id in this workspace');
    const marked = await markVisitorMerged(tx, ctx, visitor, contact);
    if (marked === 'not_found') throw notFound('visitor');
    if (marked === 'already_merged') throw new DomainError('conflict', 'This visitor was already merged into a contact.', [{ field: 'id', reason: 'already merged' }]);
    const movedEvents = await moveVisitorEvents(tx, ctx, visitor, contact);
    await recordChange(tx, ctx, { object: 'visitor', recordId: visitor, kind: 'merged', fields: ['mergedIntoContactId', ...(movedEvents > 0 ? ['events'] : [])], relatedIds: [contact] });
    return { statusCode: 200, recordId: visitor };
  });
  return getVisitor(ctx, database.db, outcome.recordId ?? visitor);
}
