import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor, Transaction } from '../../db/connection.ts';
import { rowsOf } from '../../db/rows.ts';
import { contacts } from '../../db/schema/index.ts';
import {
  findPermittedContactIdsByLookup,
  listPermittedContacts,
  mergePermittedContacts,
  requirePurpose,
  type AccessContext,
  type ContactRecord,
  type PermittedContact,
  type PurposeContext,
} from '../../kernel/index.ts';
import { recordChange } from '../../platform/changes.ts';
import { DomainError, invalid, notFound } from '../../shared/domainError.ts';
import { apiFieldName, identifiersOf } from './contactFields.ts';
import { requireContact } from './contactService.ts';

export type DuplicateMatch = { record: ContactRecord; matchedOn: Array<'email' | 'phone'> };
export type DuplicateMatches = { matches: DuplicateMatch[]; withheld: PermittedContact['withheld'] };

/**
 * Other contacts sharing this contact's normalised e-mail or phone, as far as the purpose
 * may see them: only identifiers it may use are matched on, only subjects it may process
 * are returned.
 */
export async function findDuplicates(tx: Executor, context: AccessContext, id: string): Promise<DuplicateMatches> {
  const ctx = requirePurpose(context);
  const contact = await requireContact(tx, ctx, id);
  const identifiers = identifiersOf(contact.record.personal);
  const matchedOn = new Map<string, Array<'email' | 'phone'>>();
  for (const field of ['email', 'phone'] as const) {
    const value = identifiers[field];
    if (!value) continue;
    for (const other of (await findPermittedContactIdsByLookup(tx, ctx, field, [value])).get(value) ?? []) {
      if (other !== id) matchedOn.set(other, [...(matchedOn.get(other) ?? []), field]);
    }
  }
  if (matchedOn.size === 0) return { matches: [], withheld: contact.withheld };
  const page = await listPermittedContacts(tx, ctx, { where: { ids: [...matchedOn.keys()] }, limit: matchedOn.size }, { action: 'contact.duplicates_listed' });
  return { matches: page.rows.map((record) => ({ record, matchedOn: matchedOn.get(record.id) ?? [] })), withheld: page.withheld };
}

/**
 * Moves the deals, activities and purchases that point at the duplicate to the survivor
 * (non-personal link columns only; the kernel moves events and visitor profiles). The
 * person's rights requests and released legal holds follow them too (an active hold refuses
 * the merge): deleting the duplicate would otherwise cut the requests' link (set null) and
 * leave the holds on an id no longer held. A request's identity is sealed under its own key,
 * so only the link moves.
 */
async function moveLinks(tx: Executor, ctx: PurposeContext, survivorId: string, duplicateId: string): Promise<void> {
  const tenant = ctx.tenantId;
  const now = new Date().toISOString();
  await tx.execute(sql`
    insert into deal_contacts (tenant_id, deal_id, contact_id)
    select tenant_id, deal_id, ${survivorId}::uuid from deal_contacts where tenant_id = ${tenant} and contact_id = ${duplicateId}
    on conflict do nothing`);
  await tx.execute(sql`
    insert into activity_links (tenant_id, activity_id, object, record_id)
    select tenant_id, activity_id, object, ${survivorId}::uuid from activity_links
    where tenant_id = ${tenant} and object = 'contact' and record_id = ${duplicateId}
    on conflict do nothing`);
  await tx.execute(
    sql`update purchases set contact_id = ${survivorId}, updated_at = ${now}::timestamptz, version = version + 1 where tenant_id = ${tenant} and contact_id = ${duplicateId}`,
  );
  await tx.execute(
    sql`update rights_requests set subject_id = ${survivorId}, updated_at = ${now}::timestamptz, version = version + 1 where tenant_id = ${tenant} and subject_id = ${duplicateId}`,
  );
  await tx.execute(sql`update legal_holds set subject_id = ${survivorId} where tenant_id = ${tenant} and subject_id = ${duplicateId}`);
}

/**
 * The duplicate goes the way of every erasure (its key shredded, values the survivor holds
 * otherwise dropped), and no erasure reaches a person under an active legal hold: 409 naming
 * duplicateId. Merging the other way round keeps everything the held contact holds.
 */
async function refuseMergingAwayHeldContact(tx: Executor, tenantId: string, duplicateId: string): Promise<void> {
  const held = await tx.execute(sql`select 1 from legal_holds where tenant_id = ${tenantId} and subject_id = ${duplicateId} and released_at is null limit 1`);
  if (rowsOf(held).length === 0) return;
  throw new DomainError(
    'conflict',
    'This contact is under a legal hold: merge it the other way round (keep it as the surviving contact), or release the hold first.',
    [{ field: 'duplicateId', reason: 'legal_hold' }],
  );
}

/**
 * Merges the duplicate into the survivor: personal fields the survivor lacks are filled
 * from the duplicate (inside the kernel), empty owner/company are taken over, deals,
 * activities, purchases, rights requests, legal holds, events (re-sealed by the kernel) and
 * visitor profiles move, and the
 * duplicate is deleted, its key shredded; all in the caller's one transaction. Audited as
 * 'merged' and 'deleted' with both contacts as subjects. Returns the survivor's id.
 */
export async function mergeContacts(tx: Transaction, context: AccessContext, survivorId: string, duplicateId: string): Promise<string> {
  const ctx = requirePurpose(context);
  if (survivorId === duplicateId) throw invalid('duplicateId', 'a contact cannot be merged into itself');
  // Lock both rows in id order so two opposite merges cannot deadlock or both succeed.
  const locked = await tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.tenantId, ctx.tenantId), inArray(contacts.id, [survivorId, duplicateId])))
    .orderBy(contacts.id)
    .for('update');
  if (!locked.some((row) => row.id === survivorId)) throw notFound('contact');
  if (!locked.some((row) => row.id === duplicateId)) throw invalid('duplicateId', 'no contact with this id in this workspace');
  await refuseMergingAwayHeldContact(tx, ctx.tenantId, duplicateId);
  const merge = await mergePermittedContacts(tx, ctx, { survivorId, duplicateId }, () => moveLinks(tx, ctx, survivorId, duplicateId));
  if (!merge) throw notFound('contact');
  const { survivor, duplicate } = merge;
  const lastActivityAt =
    [survivor.lastActivityAt, duplicate.lastActivityAt].filter((date): date is Date => date !== null).sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
  await tx
    .update(contacts)
    .set({
      ownerId: survivor.ownerId ?? duplicate.ownerId,
      companyId: survivor.companyId ?? duplicate.companyId,
      lastActivityAt,
      version: sql`${contacts.version} + 1`,
      updatedAt: new Date(),
    })
    .where(and(eq(contacts.tenantId, ctx.tenantId), eq(contacts.id, survivorId)));
  await recordChange(tx, ctx, { object: 'contact', recordId: survivorId, kind: 'merged', fields: merge.filled.map(apiFieldName), relatedIds: [duplicateId] });
  await recordChange(tx, ctx, { object: 'contact', recordId: duplicateId, kind: 'deleted', relatedIds: [survivorId] });
  return survivorId;
}
