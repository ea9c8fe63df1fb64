import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { contacts } from '../../db/schema/index.ts';
import {
  assertFieldsPermitted,
  contactPolicy,
  createPermittedContact,
  findPermittedContactIdsByLookup,
  listPermittedContacts,
  lockPermittedLookupValues,
  readPermittedContact,
  requirePurpose,
  updatePermittedContact,
  type AccessContext,
  type ContactFilter,
  type LeftOut,
  type PermittedContact,
  type PermittedContactPage,
  type PersonalValues,
  type PurposeContext,
} from '../../kernel/index.ts';
import { recordChange } from '../../platform/changes.ts';
import { notFound, staleVersion } from '../../shared/domainError.ts';
import { apiFieldName } from './contactFields.ts';
import {
  changedFieldNames,
  contactCreated,
  duplicateEmailError,
  loadCreateSetting,
  loadValueSetting,
  newContactOf,
  personalValuesOf,
  type ContactChangeInput,
  type ContactCreateInput,
  type DuplicatePolicy,
} from './contactInput.ts';
import { requireCompany, requireOwner } from './references.ts';

/** Validates personal and custom values of a change into one change for the kernel. */
async function personalFromInput(tx: Executor, ctx: AccessContext, input: ContactChangeInput): Promise<PersonalValues> {
  return personalValuesOf(input, await loadValueSetting(tx, ctx, [input]));
}

async function checkReferences(tx: Executor, ctx: AccessContext, input: ContactChangeInput): Promise<void> {
  if (input.ownerId) await requireOwner(tx, ctx, input.ownerId);
  if (input.companyId) await requireCompany(tx, ctx, input.companyId);
}

/**
 * Refuses an e-mail address another contact already has (409 naming `email`), unless
 * duplicates are allowed. The lock makes concurrent creators of one address take turns.
 */
async function refuseDuplicateEmail(tx: Executor, ctx: PurposeContext, email: unknown, exceptId: string | null, policy: DuplicatePolicy): Promise<void> {
  // (An erased person's address is refused by the kernel's write itself: 409 suppressed.)
  if (typeof email !== 'string' || policy.allowDuplicate) return;
  await lockPermittedLookupValues(tx, ctx, 'email', [email]);
  const holders = ((await findPermittedContactIdsByLookup(tx, ctx, 'email', [email])).get(email) ?? []).filter((id) => id !== exceptId);
  if (holders.length > 0) throw duplicateEmailError(holders);
}

/**
 * Creates a contact through the kernel (grant and fields checked) and returns it as the
 * purpose sees it, built from what was written (no read back).
 */
export async function createContactRecord(
  tx: Executor,
  context: AccessContext,
  input: ContactCreateInput,
  policy: DuplicatePolicy = {},
): Promise<PermittedContact> {
  const ctx = requirePurpose(context);
  const setting = await loadCreateSetting(tx, ctx, [input]);
  const values = personalValuesOf(input, setting);
  // Policy first: a role without the purpose learns nothing, not even that an address is taken.
  const access = await contactPolicy(tx, ctx, 'contact.created');
  const contact = newContactOf(ctx, access, input, values, setting);
  await refuseDuplicateEmail(tx, ctx, contact.personal.email, null, policy);
  const created = await createPermittedContact(tx, ctx, contact, { fieldName: apiFieldName, policy: access });
  await recordChange(tx, ctx, contactCreated(contact.id, input));
  return created;
}

/** Creates a contact through the kernel (grant and fields checked) and returns its id. */
export async function createContact(tx: Executor, context: AccessContext, input: ContactCreateInput, policy: DuplicatePolicy = {}): Promise<string> {
  return (await createContactRecord(tx, context, input, policy)).record.id;
}

/** The contact as the context's purpose may see it (audited); 404 when it does not exist. */
export async function requireContact(tx: Executor, context: AccessContext, id: string): Promise<PermittedContact> {
  const contact = await readPermittedContact(tx, requirePurpose(context), id);
  if (!contact) throw notFound('contact');
  return contact;
}

/**
 * Applies a change when the contact is still at `expectedVersion` (412 otherwise): non-personal
 * columns and the version in one UPDATE, personal values through the kernel.
 */
export async function updateContact(
  tx: Executor,
  context: AccessContext,
  id: string,
  expectedVersion: number,
  input: ContactChangeInput,
  policy: DuplicatePolicy = {},
): Promise<PermittedContact> {
  const ctx = requirePurpose(context);
  const personal = await personalFromInput(tx, ctx, input);
  const access = await contactPolicy(tx, ctx, 'contact.updated');
  assertFieldsPermitted(access, Object.keys(personal), { fieldName: apiFieldName });
  await checkReferences(tx, ctx, input);
  if (Object.keys(personal).length > 0) await refuseDuplicateEmail(tx, ctx, personal.email, id, policy);
  // Always through the kernel, personal values or not: the subject rules (erased 404,
  // restricted or objected 403) hold for every change of the record.
  await updatePermittedContact(tx, ctx, id, personal, { fieldName: apiFieldName, policy: access });
  const updated = await tx
    .update(contacts)
    .set({
      ...(input.ownerId !== undefined ? { ownerId: input.ownerId } : {}),
      ...(input.companyId !== undefined ? { companyId: input.companyId } : {}),
      ...(input.lifecycleStage !== undefined ? { lifecycleStage: input.lifecycleStage } : {}),
      version: sql`${contacts.version} + 1`,
      updatedAt: new Date(),
    })
    .where(and(eq(contacts.tenantId, ctx.tenantId), eq(contacts.id, id), eq(contacts.version, expectedVersion)))
    .returning({ id: contacts.id });
  if (updated.length === 0) {
    const [current] = await tx
      .select({ version: contacts.version })
      .from(contacts)
      .where(and(eq(contacts.tenantId, ctx.tenantId), eq(contacts.id, id)));
    if (!current) throw notFound('contact');
    throw staleVersion(current.version);
  }
  await recordChange(tx, ctx, { object: 'contact', recordId: id, kind: 'updated', fields: changedFieldNames(input) });
  return requireContact(tx, ctx, id);
}

/**
 * Before a contact is erased (src/privacy/erasure/subjectErasure.ts eraseSubject, the one
 * path of every erasure): locks its row, 404 when it is not a contact of the workspace; with
 * `expectedVersion` (If-Match) a stale delete gets 412.
 */
export async function lockContactForErasure(tx: Executor, context: AccessContext, id: string, expectedVersion: number | null = null): Promise<void> {
  const ctx = requirePurpose(context);
  const [current] = await tx
    .select({ version: contacts.version })
    .from(contacts)
    .where(and(eq(contacts.tenantId, ctx.tenantId), eq(contacts.id, id)))
    .for('update');
  if (!current) throw notFound('contact');
  if (expectedVersion !== null && current.version !== expectedVersion) throw staleVersion(current.version);
}

export type ContactListQuery = Omit<ContactFilter, 'ids'> & { sort?: string; cursor?: string; limit?: number; countCap?: number; leftOutCap?: number };

/**
 * A page for the context's purpose: denied subjects absent, withheld fields listed (audited);
 * with leftOutCap, how many people the filter matched that the purpose left out, and why.
 */
export async function listContacts(tx: Executor, context: AccessContext, query: ContactListQuery): Promise<PermittedContactPage & { leftOut?: LeftOut }> {
  const { sort, cursor, limit, countCap, leftOutCap, ...where } = query;
  return listPermittedContacts(tx, requirePurpose(context), { where, sort, cursor, limit, countCap }, { leftOutCap });
}
