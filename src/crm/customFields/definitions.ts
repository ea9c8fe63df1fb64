import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { companies, customFieldDefinitions, deals } from '../../db/schema/index.ts';
import {
  appendAudit,
  builtInContactFields,
  dataCategoryProblem,
  isPersonalDataCategory,
  removePermittedContactField,
  type AccessContext,
} from '../../kernel/index.ts';
import { DomainError, type FieldIssue } from '../../shared/domainError.ts';

export const customFieldObjects = ['contact', 'company', 'deal'] as const;
export type CustomFieldObject = (typeof customFieldObjects)[number];
export const customFieldTypes = ['text', 'number', 'boolean', 'date', 'select'] as const;
export type CustomFieldType = (typeof customFieldTypes)[number];

export type CustomFieldDefinition = {
  object: CustomFieldObject;
  key: string;
  label: string;
  type: CustomFieldType;
  dataCategory: string;
  options: string[] | null;
  createdAt: Date;
};

export type NewCustomField = {
  object: CustomFieldObject;
  key: string;
  label: string;
  type: CustomFieldType;
  dataCategory: string;
  options?: string[] | null;
};

const keyPattern = /^[a-z][a-z0-9_]{0,62}$/;
const maxOptions = 100;

function definitionProblems(input: NewCustomField): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!keyPattern.test(input.key))
    issues.push({ field: 'key', reason: 'use snake_case: a lowercase letter, then lowercase letters, digits or _ (at most 63)' });
  else if (input.object === 'contact' && (builtInContactFields as readonly string[]).includes(input.key)) {
    issues.push({ field: 'key', reason: 'is a built-in contact field' });
  }
  if (input.label.trim().length === 0 || input.label.length > 100) issues.push({ field: 'label', reason: 'must be 1–100 characters' });
  const categoryProblem = dataCategoryProblem(input.dataCategory);
  if (categoryProblem) issues.push({ field: 'dataCategory', reason: categoryProblem });
  else if (input.object !== 'contact' && isPersonalDataCategory(input.dataCategory)) {
    // Company and deal values are stored in plain JSON with no data subject: no key could
    // ever shred them, so they may not hold anyone's personal data.
    issues.push({
      field: 'dataCategory',
      reason: `${input.object} custom fields may not hold personal data (a user.* category): their values have no data subject whose key could erase them; record a person's data in a contact custom field`,
    });
  }
  if (input.type === 'select') {
    const options = input.options ?? [];
    if (options.length === 0 || options.length > maxOptions) issues.push({ field: 'options', reason: `a select field needs 1–${maxOptions} options` });
    else if (new Set(options).size !== options.length) issues.push({ field: 'options', reason: 'options must be unique' });
    else if (options.some((option) => option.trim().length === 0 || option.length > 100))
      issues.push({ field: 'options', reason: 'each option must be 1–100 characters' });
  } else if (input.options && input.options.length > 0) {
    issues.push({ field: 'options', reason: 'only select fields have options' });
  }
  return issues;
}

const asDefinition = (row: typeof customFieldDefinitions.$inferSelect): CustomFieldDefinition => ({
  object: row.object as CustomFieldObject,
  key: row.key,
  label: row.label,
  type: row.type as CustomFieldType,
  dataCategory: row.dataCategory,
  options: row.options ?? null,
  createdAt: row.createdAt,
});

/** The workspace's custom fields, optionally of one object, ordered by object then key. */
export async function listCustomFields(tx: Executor, ctx: AccessContext, object?: CustomFieldObject): Promise<CustomFieldDefinition[]> {
  const rows = await tx
    .select()
    .from(customFieldDefinitions)
    .where(and(eq(customFieldDefinitions.tenantId, ctx.tenantId), object ? eq(customFieldDefinitions.object, object) : undefined))
    .orderBy(asc(customFieldDefinitions.object), asc(customFieldDefinitions.key));
  return rows.map(asDefinition);
}

/** Declares a custom field; its data category must be a fideslang key. Audited. */
export async function createCustomField(tx: Executor, ctx: AccessContext, input: NewCustomField): Promise<CustomFieldDefinition> {
  const issues = definitionProblems(input);
  if (issues.length > 0) throw new DomainError('validation_failed', issues.map((issue) => `${issue.field}: ${issue.reason}`).join('; '), issues);
  const [row] = await tx
    .insert(customFieldDefinitions)
    .values({
      tenantId: ctx.tenantId,
      object: input.object,
      key: input.key,
      label: input.label.trim(),
      type: input.type,
      dataCategory: input.dataCategory,
      options: input.type === 'select' ? (input.options ?? null) : null,
      createdAt: new Date(),
    })
    .onConflictDoNothing()
    .returning();
  if (!row)
    throw new DomainError('conflict', `The ${input.object} object already has a custom field with this key.`, [{ field: 'key', reason: 'already defined' }]);
  // Definitions are configuration keyed by (object, key), not records with ids, so they are
  // audited directly rather than through recordChange (which fans out record webhooks).
  await appendAudit(tx, ctx, {
    action: 'custom_field.created',
    object: 'custom_field',
    fields: [input.key],
    detail: { object: input.object, type: input.type, dataCategory: input.dataCategory },
  });
  return asDefinition(row);
}

/** Deletes a definition and every stored value of it, in one transaction. Audited. */
export async function deleteCustomField(tx: Executor, ctx: AccessContext, object: CustomFieldObject, key: string): Promise<void> {
  const deleted = await tx
    .delete(customFieldDefinitions)
    .where(and(eq(customFieldDefinitions.tenantId, ctx.tenantId), eq(customFieldDefinitions.object, object), eq(customFieldDefinitions.key, key)))
    .returning({ key: customFieldDefinitions.key });
  if (deleted.length === 0) throw new DomainError('not_found', `No ${object} custom field with that key in this workspace.`);
  let valuesRemoved = 0;
  if (object === 'contact') {
    // Removing a deleted definition's values is housekeeping, not processing for a purpose
    // the request chose; the contacts' records name sales, the purpose they are kept for.
    valuesRemoved = await removePermittedContactField(tx, ctx.purpose ? { ...ctx, purpose: ctx.purpose } : { ...ctx, purpose: 'sales' }, key);
  } else {
    const table = object === 'company' ? companies : deals;
    const rows = await tx
      .update(table)
      .set({ custom: sql`${table.custom} - ${key}::text` })
      .where(and(eq(table.tenantId, ctx.tenantId), sql`${table.custom} ? ${key}::text`))
      .returning({ id: table.id });
    valuesRemoved = rows.length;
  }
  await appendAudit(tx, ctx, { action: 'custom_field.deleted', object: 'custom_field', fields: [key], detail: { object, valuesRemoved } });
}
