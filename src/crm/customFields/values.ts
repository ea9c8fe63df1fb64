import type { Executor } from '../../db/connection.ts';
import { isPersonalDataCategory, type AccessContext } from '../../kernel/index.ts';
import { DomainError, type FieldIssue } from '../../shared/domainError.ts';
import { listCustomFields, type CustomFieldDefinition, type CustomFieldObject } from './definitions.ts';

/** Custom values by key; in an update, null removes the value. */
export type CustomValues = Record<string, unknown>;

const maxTextLength = 10_000;
const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(value: string): boolean {
  const match = datePattern.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

/** Why `value` does not fit the definition, or null. Reasons never quote the value. */
export function customValueProblem(definition: Pick<CustomFieldDefinition, 'type' | 'options'>, value: unknown): string | null {
  switch (definition.type) {
    case 'text':
      return typeof value === 'string' && value.length <= maxTextLength ? null : `expected text of at most ${maxTextLength} characters`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'expected a finite number';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'expected true or false';
    case 'date':
      return typeof value === 'string' && isCalendarDate(value) ? null : 'expected a date as YYYY-MM-DD';
    case 'select':
      return typeof value === 'string' && (definition.options ?? []).includes(value)
        ? null
        : `expected one of the field's options: ${(definition.options ?? []).join(', ')}`;
  }
}

/** A workspace's custom field definitions of one object, by key (loaded once for many values). */
export type CustomFieldDefinitions = ReadonlyMap<string, Pick<CustomFieldDefinition, 'type' | 'options' | 'dataCategory'>>;

/** The definitions of `object`'s custom fields, by key (one query). */
export async function customFieldDefinitionsOf(tx: Executor, ctx: AccessContext, object: CustomFieldObject): Promise<CustomFieldDefinitions> {
  return new Map((await listCustomFields(tx, ctx, object)).map((definition) => [definition.key, definition]));
}

/**
 * Checks custom values against the object's definitions: an undeclared key or a value of
 * the wrong type is refused with 422 naming `customFields.<key>`. Null (remove) passes.
 * Returns the values unchanged when all are valid. In memory: a batch checks many records'
 * values against definitions it loaded once.
 */
export function checkCustomValues(definitions: CustomFieldDefinitions, object: CustomFieldObject, values: CustomValues | undefined): CustomValues {
  if (!values || Object.keys(values).length === 0) return {};
  const issues: FieldIssue[] = [];
  for (const [key, value] of Object.entries(values)) {
    const definition = definitions.get(key);
    const field = `customFields.${key}`;
    if (!definition) issues.push({ field, reason: `no ${object} custom field is declared with this key` });
    else if (value !== null && object !== 'contact' && isPersonalDataCategory(definition.dataCategory)) {
      // A definition from before personal categories were refused for companies and deals.
      issues.push({
        field,
        reason: 'declared with a personal data category, which a company or deal value may not hold; remove the value (null) or delete the definition',
      });
    } else if (value !== null) {
      const problem = customValueProblem(definition, value);
      if (problem) issues.push({ field, reason: problem });
    }
  }
  if (issues.length > 0) throw new DomainError('validation_failed', issues.map((issue) => `${issue.field}: ${issue.reason}`).join('; '), issues);
  return values;
}

/** checkCustomValues for one record, loading the definitions only when it has values. Deals call this too (A2's service). */
export async function validateCustomValues(
  tx: Executor,
  ctx: AccessContext,
  object: CustomFieldObject,
  values: CustomValues | undefined,
): Promise<CustomValues> {
  if (!values || Object.keys(values).length === 0) return {};
  return checkCustomValues(await customFieldDefinitionsOf(tx, ctx, object), object, values);
}

/** Applies a validated change to stored custom values: null removes, anything else sets. */
export function mergeCustomValues(current: CustomValues, changes: CustomValues): CustomValues {
  const merged: CustomValues = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete merged[key];
    else if (value !== undefined) merged[key] = value;
  }
  return merged;
}
