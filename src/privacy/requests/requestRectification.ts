import type { Executor, Transaction } from '../../db/connection.ts';
import { openRequestIdentities, readPermittedContact, rectifyContact, type PurposeContext, type RequestIdentity } from '../../kernel/index.ts';
import { announceChanges } from '../../platform/changes.ts';
import type { RightsRequest } from './requestRecords.ts';

/*
 * Art. 16 rectification through a request: the person names the corrections (catalog field
 * names and values, sealed with their identity); staff see them beside the values held now,
 * field by field, and completing the request applies them through the kernel's
 * rectifyContact (which a restriction does not stop), then tells webhook subscribers of the
 * change (Art. 19: recipients are told, by field name, never value).
 */

/** What requestFulfilments' rectification entry answers (a FulfilmentOutcome). */
type RectificationOutcome = { status: 'done'; summary: { rectified: string[] } } | { status: 'no_subject' } | { status: 'not_available'; reason: string };

export type CorrectionDiff = { field: string; current: unknown; requested: string | null };

/** The requested corrections beside the contact's values now, as the request's purpose may read them. */
export async function rectificationDiff(
  tx: Executor,
  ctx: PurposeContext,
  request: RightsRequest,
  identity: RequestIdentity | null,
): Promise<CorrectionDiff[] | undefined> {
  if (request.kind !== 'rectification' || !identity?.corrections) return undefined;
  const contact = request.subjectId === null ? null : await readPermittedContact(tx, ctx, request.subjectId);
  const personal: Record<string, unknown> = contact?.record.personal ?? {};
  return Object.entries(identity.corrections).map(([field, requested]) => ({ field, current: personal[field] ?? null, requested }));
}

/** Applies the corrections the request names to its contact; not available when it names none, `no_subject` without a contact. */
export async function rectifyFromRequest(tx: Transaction, { ctx, request }: { ctx: PurposeContext; request: RightsRequest }): Promise<RectificationOutcome> {
  const corrections = (await openRequestIdentities(tx, ctx, [request.id])).get(request.id)?.corrections;
  if (!corrections) return { status: 'not_available', reason: 'the request names no corrections (corrections: {"field": "value"} when it is made)' };
  if (request.subjectId === null) return { status: 'no_subject' };
  const { fields } = await rectifyContact(tx, ctx, request.subjectId, corrections, { requestId: request.id });
  await announceChanges(tx, ctx.tenantId, [{ object: 'contact', recordId: request.subjectId, kind: 'updated', fields }]);
  return { status: 'done', summary: { rectified: fields } };
}
