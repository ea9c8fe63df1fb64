import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { newId } from '../../db/ids.ts';
import { contacts } from '../../db/schema/index.ts';
import type { AccessContext } from '../../kernel/accessContext.ts';
import {
  deleteContacts,
  findContactIdsByLookup,
  insertContacts,
  lockContactLookupValues,
  readContact,
  readContacts,
  updateContactPersonal,
  type ContactFilter,
  type ContactPage,
  type ContactRecord,
  type PersonalValues,
} from '../../kernel/contactRecords.ts';
import { recordChange } from '../../platform/changes.ts';
import { DomainError, notFound, type FieldIssue } from '../../shared/domainError.ts';
import { validateCustomValues } from '../customFields/values.ts';
import { personalChanges, type ContactPersonalInput, type ContactSource, type LifecycleStage } from './contactFields.ts';
import { defaultOwnerId, requireCompany, requireOwner } from './references.ts';

export type ContactChangeInput = ContactPersonalInput & {
  ownerId?: string | null;
  companyId?: string | null;
  lifecycleStage?: LifecycleStage;
  customFields?: Record<string, unknown>;
};
export type ContactCreateInput = ContactChangeInput & { source?: ContactSource };
export type DuplicatePolicy = { allowDuplicate?: boolean };

function refuse(issues: FieldIssue[]): void {
  if (issues.length > 0) throw new DomainError('validation_failed', issues.map((issue) => `${issue.field}: ${issue.reason}`).join('; '), issues);
}

/** Validates personal and custom values of a request into one change for the kernel. */
async function personalFromInput(tx: Executor, ctx: AccessContext, input: ContactChangeInput): Promise<PersonalValues> {
  const { changes, issues } = personalChanges(input);
  refuse(issues);
  const custom = await validateCustomValues(tx, ctx, 'contact', input.customFields);
  return { ...changes, ...custom };
}

async function checkReferences(tx: Executor, ctx: AccessContext, input: ContactChangeInput): Promise<void> {
  if (input.ownerId) await requireOwner(tx, ctx, input.ownerId);
  if (input.companyId) await requireCompany(tx, ctx, input.companyId);
}

/**
 * Refuses an e-mail address another contact already has (409 naming `email`), unless
 * duplicates are allowed. The lock makes concurrent creators of one address take turns.
 */
async function refuseDuplicateEmail(tx: Executor, ctx: AccessContext, email: unknown, exceptId: string | null, policy: DuplicatePolicy): Promise<void> {
  if (typeof email !== 'string' || policy.allowDuplicate) return;
  await lockContactLookupValues(tx, ctx, 'email', [email]);
  const holders = ((await findContactIdsByLookup(tx, ctx, 'email', [email])).get(email) ?? []).filter((id) => id !== exceptId);
  if (holders.length > 0) {
    throw new DomainError(
      'duplicate',
      'Another contact has this e-mail address. Merge them (POST /contacts/{id}/merge) or send ?allowDuplicate=true.',
      [{ field: 'email', reason: 'already used by another contact' }],
      { duplicateIds: holders },
    );
  }
}

export async function createContact(tx: Executor, ctx: AccessContext, input: ContactCreateInput, policy: DuplicatePolicy = {}): Promise<ContactRecord> {
  const personal = await personalFromInput(tx, ctx, input);
  for (const [field, value] of Object.entries(personal)) if (value === null) delete personal[field];
  await checkReferences(tx, ctx, input);
  await refuseDuplicateEmail(tx, ctx, personal.email, null, policy);
  const id = newId();
  await insertContacts(tx, ctx, [
    {
      id,
      ownerId: input.ownerId === undefined ? defaultOwnerId(ctx) : input.ownerId,
      companyId: input.companyId ?? null,
      lifecycleStage: input.lifecycleStage ?? 'lead',
      source: input.source ?? 'api',
      personal,
    },
  ]);
  await recordChange(tx, ctx, { object: 'contact', recordId: id, kind: 'created', fields: changedFieldNames(input) });
  return requireContact(tx, ctx, id);
}

export async function requireContact(tx: Executor, ctx: AccessContext, id: string): Promise<ContactRecord> {
  const record = await readContact(tx, ctx, id);
  if (!record) throw notFound('contact');
  return record;
}

/** API names of the fields a request sets (values never leave here). */
function changedFieldNames(input: ContactChangeInput & { source?: string }): string[] {
  const names = Object.keys(input).filter((name) => name !== 'customFields' && input[name as keyof typeof input] !== undefined);
  return [...names, ...Object.keys(input.customFields ?? {}).map((key) => `customFields.${key}`)];
}

/**
 * Applies a change when the contact is still at `expectedVersion` (412 otherwise): non-personal
 * columns and the version in one UPDATE, personal values through the kernel.
 */
export async function updateContact(
  tx: Executor,
  ctx: AccessContext,
  id: string,
  expectedVersion: number,
  input: ContactChangeInput,
  policy: DuplicatePolicy = {},
): Promise<ContactRecord> {
  const personal = await personalFromInput(tx, ctx, input);
  await checkReferences(tx, ctx, input);
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
    const current = await readContact(tx, ctx, id);
    if (!current) throw notFound('contact');
    throw staleVersion(current.version);
  }
  if (Object.keys(personal).length > 0) {
    await refuseDuplicateEmail(tx, ctx, personal.email, id, policy);
    await updateContactPersonal(tx, ctx, id, personal);
  }
  await recordChange(tx, ctx, { object: 'contact', recordId: id, kind: 'updated', fields: changedFieldNames(input) });
  return requireContact(tx, ctx, id);
}

function staleVersion(currentVersion: number): DomainError {
  return new DomainError('precondition_failed', 'The record changed since you read it; fetch it again and reapply your change.', [], { currentEtag: `"${currentVersion}"` });
}

/** Deletes a contact for good; with `expectedVersion` (If-Match) a stale delete gets 412. */
export async function deleteContact(tx: Executor, ctx: AccessContext, id: string, expectedVersion: number | null = null): Promise<void> {
  if (expectedVersion !== null) {
    const [current] = await tx
      .select({ version: contacts.version })
      .from(contacts)
      .where(and(eq(contacts.tenantId, ctx.tenantId), eq(contacts.id, id)))
      .for('update');
    if (current && current.version !== expectedVersion) throw staleVersion(current.version);
  }
  const deleted = await deleteContacts(tx, ctx, [id]);
  if (deleted.length === 0) throw notFound('contact');
  await recordChange(tx, ctx, { object: 'contact', recordId: id, kind: 'deleted' });
}

export type ContactListQuery = Omit<ContactFilter, 'ids'> & { sort?: string; cursor?: string; limit?: number };

export async function listContacts(tx: Executor, ctx: AccessContext, query: ContactListQuery): Promise<ContactPage> {
  const { sort, cursor, limit, ...where } = query;
  return readContacts(tx, ctx, { where, sort, cursor, limit });
}
