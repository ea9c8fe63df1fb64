import { sql } from 'drizzle-orm';
import type { Executor, Transaction } from '../db/connection.ts';
import { DomainError, notFound } from '../shared/domainError.ts';
import type { PurposeContext } from './accessContext.ts';
import { recordAudit, type AuditDecision, type AuditRecord } from './audit.ts';
import { inTransaction } from './audit/head.ts';
import {
  deleteContacts,
  insertContacts,
  readContact,
  readContacts,
  removeContactPersonalField,
  searchContactIdsByNamePrefix,
  updateContactPersonal,
  type ContactPage,
  type ContactQuery,
  type ContactReadOptions,
  type ContactSelection,
  type ContactRecord,
  type NewContact,
  type PersonalValues,
} from './contactRecords.ts';
import { assertFieldsPermitted, objectPolicy, type ObjectPolicy, type WithheldField } from './callPolicy.ts';
import { freshSubjectDenials, permittedSubjectsCondition, subjectReasonConditions, subjectReasons, type SubjectReason } from './policy/index.ts';
import { rowsOf } from '../db/rows.ts';
import { moveEventsToContact } from './eventRecords.ts';
import { carrySubjectStates, forgetSubjectStates, recordErasure } from './subjectStateWriters.ts';
import { countLeftOutContacts, type LeftOut } from './leftOutCounts.ts';
import { moveMergedVisitors } from './visitorRecords.ts';
import { assertContactWritable, type SubjectWriteOptions } from './subjectRules.ts';

/*
 * The kernel's contact entry points: every access to contacts' personal data by the CRM
 * goes through here. Default deny: the role must hold the purpose (403 otherwise), only
 * the fields declared for the purpose are opened, and the subject rules (erased,
 * restricted, objected, no live consent) filter rows inside the one SELECT that reads
 * them. Each read leaves exactly one audit entry in its own transaction, naming field
 * names, the decision with its reasons and the subjects touched (as pseudonyms), never
 * values. Writes are audited by the change they make (src/platform/changes.ts).
 */

export type { WithheldField } from './callPolicy.ts';
/** The policy decision for one call on contacts (see callPolicy.ts). */
export type ContactPolicy = ObjectPolicy;

export type PermittedContactPage = ContactPage & { withheld: WithheldField[] };
export type PermittedContact = { record: ContactRecord; withheld: WithheldField[] };
export type ReadOptions = { action?: string; policy?: ContactPolicy };
export type WriteOptions = {
  /** Maps a stored field name to the caller's (API) name in error messages. */
  fieldName?: (field: string) => string;
  /** A policy the caller resolved for this call already (it checked before a duplicate lookup). */
  policy?: ContactPolicy;
};

/** Grant, catalog and column filter for one call on contacts (once per request). */
export function contactPolicy(executor: Executor, ctx: PurposeContext, action: string): Promise<ContactPolicy> {
  return objectPolicy(executor, ctx, 'contact', action);
}

/** The policy's row filter and column filter, as readContacts takes them. */
const readOptions = (ctx: PurposeContext, policy: ContactPolicy): ContactReadOptions => ({
  subjectCondition: (contactId) => permittedSubjectsCondition(ctx.tenantId, policy.purpose, policy.now, contactId),
  fields: policy.allowed,
});

/**
 * Ids of contacts whose name has a word starting with `prefix`, among the subjects the
 * policy lets the purpose process: denied subjects are dropped in the candidate query, so
 * their names are never decrypted (Art. 18: a restricted person's data is not processed).
 */
export function searchPermittedIdsByNamePrefix(
  tx: Executor,
  ctx: PurposeContext,
  policy: ContactPolicy,
  prefix: string,
  options: { limit: number; afterId?: string },
): Promise<string[]> {
  return searchContactIdsByNamePrefix(tx, ctx, prefix, { ...options, subjectCondition: readOptions(ctx, policy).subjectCondition });
}

function auditRecord(action: string, policy: ContactPolicy, subjectIds: string[], withheld: WithheldField[], opened: boolean): AuditRecord {
  const decision: AuditDecision = !opened ? 'deny' : withheld.length > 0 ? 'partial' : 'allow';
  return { action, object: 'contact', fields: opened ? policy.allowed : [], decision, reasons: withheld, subjectIds };
}

/**
 * A page of contacts for the context's purpose: only subjects whose basis holds now, only
 * the fields declared for the purpose. A handful of statements whatever the page size
 * (grant, catalog, the filtered SELECT with its keys, the audit entry). Subjects the row
 * rules deny are not in the page; `withheld` names the fields the purpose may not use.
 * With `leftOutCap`, also how many the rules left out and why (leftOutCounts.ts), noted
 * in the audit entry.
 */
export async function listPermittedContacts(
  executor: Executor,
  ctx: PurposeContext,
  query: ContactQuery,
  options: ReadOptions & { leftOutCap?: number } = {},
): Promise<PermittedContactPage & { leftOut?: LeftOut }> {
  const action = options.action ?? 'contact.listed';
  const policy = options.policy ?? (await contactPolicy(executor, ctx, action));
  return inTransaction(executor, async (tx) => {
    const page = await readContacts(tx, ctx, query, readOptions(ctx, policy));
    const { leftOutCap } = options;
    const leftOut = leftOutCap === undefined ? undefined : await countLeftOutContacts(tx, ctx, policy.purpose, policy.now, query.where ?? {}, leftOutCap);
    const entry = auditRecord(
      action,
      policy,
      page.rows.map((row) => row.id),
      policy.withheld,
      true,
    );
    await recordAudit(tx, ctx, leftOut ? { ...entry, detail: { leftOutCounted: true } } : entry);
    return { ...page, withheld: policy.withheld, ...(leftOut ? { leftOut } : {}) };
  });
}

/** Which subject rules deny this contact now ([] when none); null when there is no such contact. */
async function subjectDenials(tx: Executor, ctx: PurposeContext, policy: ContactPolicy, id: string): Promise<SubjectReason[] | null> {
  const rules = subjectReasonConditions(ctx.tenantId, policy.purpose, policy.now, sql`c.id`);
  const result = await tx.execute(sql`
    select ${sql.join(
      subjectReasons.map((reason) => sql`${rules[reason]} as ${sql.identifier(reason)}`),
      sql`, `,
    )}
    from contacts c where c.tenant_id = ${ctx.tenantId}::uuid and c.id = ${id}::uuid`);
  const [row] = rowsOf<Record<SubjectReason, boolean>>(result);
  return row ? subjectReasons.filter((reason) => row[reason]) : null;
}

/**
 * One contact for the context's purpose, or null when it does not exist. A subject the
 * row rules deny comes back with its non-personal columns only and every field listed in
 * `withheld` with the rule's reason: absent, never a null pretending to be data.
 */
export async function readPermittedContact(executor: Executor, ctx: PurposeContext, id: string, options: ReadOptions = {}): Promise<PermittedContact | null> {
  const action = options.action ?? 'contact.read';
  const policy = options.policy ?? (await contactPolicy(executor, ctx, action));
  return inTransaction(executor, async (tx) => {
    const permitted = await readContact(tx, ctx, id, readOptions(ctx, policy));
    if (permitted) {
      await recordAudit(tx, ctx, auditRecord(action, policy, [id], policy.withheld, true));
      return { record: permitted, withheld: policy.withheld };
    }
    const denials = await subjectDenials(tx, ctx, policy, id);
    const record = denials && denials.length > 0 ? await readContact(tx, ctx, id, { fields: [] }) : null;
    if (!denials || !record) {
      await recordAudit(tx, ctx, { action, object: 'contact', fields: [], subjectIds: [id], detail: { found: false } });
      return null;
    }
    const withheld = [...policy.withheld, ...policy.allowed.flatMap((field) => denials.map((reason) => ({ field, reason })))];
    await recordAudit(tx, ctx, auditRecord(action, policy, [id], withheld, false));
    return { record, withheld };
  });
}

export { assertFieldsPermitted } from './callPolicy.ts';

/** Stores new contacts after checking the grant and every field they carry. Set-wise. */
export async function createPermittedContacts(tx: Executor, ctx: PurposeContext, rows: NewContact[], options: WriteOptions = {}): Promise<void> {
  const policy = options.policy ?? (await contactPolicy(tx, ctx, 'contact.created'));
  assertFieldsPermitted(
    policy,
    rows.flatMap((row) => Object.keys(row.personal)),
    options,
  );
  await insertContacts(tx, ctx, rows);
}

/**
 * Stores one new contact (as createPermittedContacts) and returns it as the purpose sees it,
 * built from what was written rather than read back: its values are the caller's own, so
 * no stored data is opened (and no read is audited; the write is, by the caller). A new
 * person has no erasure, restriction, objection or consent yet: only a consent basis
 * withholds their values, with the reason a read would give.
 */
export async function createPermittedContact(tx: Executor, ctx: PurposeContext, row: NewContact, options: WriteOptions = {}): Promise<PermittedContact> {
  const policy = options.policy ?? (await contactPolicy(tx, ctx, 'contact.created'));
  const createdAt = row.createdAt ?? new Date();
  await createPermittedContacts(tx, ctx, [{ ...row, createdAt }], { ...options, policy });
  const denials = freshSubjectDenials(policy.purpose);
  const opened = denials.length === 0;
  const record: ContactRecord = {
    tenantId: ctx.tenantId,
    id: row.id,
    ownerId: row.ownerId,
    companyId: row.companyId,
    lifecycleStage: row.lifecycleStage,
    source: row.source,
    importBatchId: row.importBatchId ?? null,
    personal: opened ? (JSON.parse(JSON.stringify(row.personal)) as PersonalValues) : {},
    lastActivityAt: null,
    createdAt,
    updatedAt: createdAt,
    version: 1,
  };
  const withheld = opened ? policy.withheld : [...policy.withheld, ...policy.allowed.flatMap((field) => denials.map((reason) => ({ field, reason })))];
  return { record, withheld };
}

/**
 * Applies a change of personal values (null removes) after checking grant, fields and the
 * subject rules (src/kernel/subjectRules.ts): an erased contact is 404, a restricted one
 * 403 unless the change is a rectification, an objection to the purpose 403. Call it for
 * every change of a contact, even one without personal values: the rules hold for the
 * whole record.
 */
export async function updatePermittedContact(
  tx: Executor,
  ctx: PurposeContext,
  id: string,
  changes: PersonalValues,
  options: WriteOptions & SubjectWriteOptions = {},
): Promise<void> {
  const policy = options.policy ?? (await contactPolicy(tx, ctx, 'contact.updated'));
  assertFieldsPermitted(policy, Object.keys(changes), options);
  await assertContactWritable(tx, ctx, policy.purpose, id, options);
  if (Object.keys(changes).length > 0 && !(await updateContactPersonal(tx, ctx, id, changes))) throw notFound('contact');
}

/** Deletes contacts for good (by id or by import batch) after checking the grant; returns the ids deleted. */
export async function deletePermittedContacts(tx: Executor, ctx: PurposeContext, selection: ContactSelection | string[]): Promise<string[]> {
  await contactPolicy(tx, ctx, 'contact.deleted');
  return deleteContacts(tx, ctx, selection);
}

/**
 * Removes one custom field's values from every contact of the workspace (its definition is
 * being deleted), after checking the grant; returns how many contacts held a value.
 */
export async function removePermittedContactField(tx: Executor, ctx: PurposeContext, field: string): Promise<number> {
  await contactPolicy(tx, ctx, 'contact.field_removed');
  return removeContactPersonalField(tx, ctx, field);
}

export type ContactMerge = {
  /** Non-personal columns of both, as they were before the merge. */
  survivor: ContactRecord;
  duplicate: ContactRecord;
  /** Names of the survivor's fields filled from the duplicate. */
  filled: string[];
};

/**
 * Merges the duplicate into the survivor, in the caller's transaction: its personal values
 * fill the survivor's empty fields, its events are re-sealed under the survivor's key, the
 * visitor profiles merged into it (and their anonymous-id tokens) pass to the survivor, and
 * it is deleted, its key shredded. `moveLinks` runs first, while both rows exist. Both
 * subjects must be ones the purpose may process now (403 naming the rule otherwise). Values
 * move inside the kernel: the caller learns field names only.
 */
export async function mergePermittedContacts(
  tx: Transaction,
  ctx: PurposeContext,
  ids: { survivorId: string; duplicateId: string },
  moveLinks: () => Promise<void>,
): Promise<ContactMerge | null> {
  const policy = await contactPolicy(tx, ctx, 'contact.merged');
  const subjectCondition = readOptions(ctx, policy).subjectCondition;
  const { rows } = await readContacts(tx, ctx, { where: { ids: [ids.survivorId, ids.duplicateId] }, limit: 2 }, { subjectCondition });
  const survivor = rows.find((row) => row.id === ids.survivorId);
  const duplicate = rows.find((row) => row.id === ids.duplicateId);
  for (const [field, id, found] of [
    ['id', ids.survivorId, survivor],
    ['duplicateId', ids.duplicateId, duplicate],
  ] as const) {
    if (found) continue;
    const denials = await subjectDenials(tx, ctx, policy, id);
    if (denials === null) return null;
    throw new DomainError(
      'forbidden',
      `This contact may not be processed for the purpose ${policy.purpose.key}.`,
      denials.map((reason) => ({ field, reason })),
    );
  }
  if (!survivor || !duplicate) return null;
  const filled: PersonalValues = {};
  for (const [field, value] of Object.entries(duplicate.personal as PersonalValues)) {
    const current = (survivor.personal as PersonalValues)[field];
    if (current === undefined || current === null) filled[field] = value;
  }
  await moveLinks();
  await moveMergedVisitors(tx, ctx, ids.duplicateId, ids.survivorId);
  await moveEventsToContact(tx, ctx, { contactId: ids.duplicateId }, ids.survivorId);
  await carrySubjectStates(tx, ctx, ids.duplicateId, ids.survivorId);
  // The duplicate's id goes the way of every erasure (completeErasure.ts), without a
  // suppression: the person lives on in the survivor.
  await recordErasure(tx, ctx, ids.duplicateId, { reason: 'merged' });
  await forgetSubjectStates(tx, ctx.tenantId, ids.duplicateId);
  await deleteContacts(tx, ctx, [ids.duplicateId]);
  if (Object.keys(filled).length > 0) await updateContactPersonal(tx, ctx, ids.survivorId, filled);
  return { survivor: { ...survivor, personal: {} }, duplicate: { ...duplicate, personal: {} }, filled: Object.keys(filled) };
}
