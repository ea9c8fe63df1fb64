import type { CustomFieldDefinition, Withheld } from '../api/types.ts';

/*
 * Contact custom fields as the form holds them: every value as the text of its input
 * ("" = no value; a boolean as "true"/"false"; a date as YYYY-MM-DD), turned back into the
 * JSON value the API stores when the form is sent.
 */

export type CustomFieldType = CustomFieldDefinition['type'];
/** What the form needs of a definition. */
export type CustomFieldShape = Pick<CustomFieldDefinition, 'key' | 'label' | 'type' | 'options'>;

/** The API's name of a custom field, as its 422s and withheld entries name it. */
export const customFieldName = (key: string) => `customFields.${key}`;
export const customKeyOf = (field: string): string | null => (field.startsWith('customFields.') ? field.slice('customFields.'.length) : null);

/** A stored value as its input's text. */
export function customTextOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

const numberText = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/**
 * The input's text as the value to send: null for an empty input (which removes the value).
 * A number field's text that is not a number is sent as typed, so the server's reason for
 * it (its 422 on customFields.<key>) shows beside the input: the API decides, not the app.
 */
export function customValueOf(type: CustomFieldType, text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  switch (type) {
    case 'number':
      return numberText.test(trimmed) ? Number(trimmed) : trimmed;
    case 'boolean':
      return trimmed === 'true' ? true : trimmed === 'false' ? false : trimmed;
    default:
      return trimmed;
  }
}

/** A value as the conflict panel shows it ("Yes" for true); "" for none. */
export function customValueShown(type: CustomFieldType | undefined, text: string): string {
  if (type === 'boolean' && text !== '') return text === 'true' ? 'Yes' : text === 'false' ? 'No' : text;
  return text.trim();
}

/**
 * The custom fields the form offers for the purpose: those it is not refused. `strict`
 * (editing a contact) also leaves out the ones withheld from this contact for any other
 * reason (restricted, erased…), which are not the user's to change.
 */
export function offeredCustomFields<T extends CustomFieldShape>(definitions: readonly T[], withheld: Withheld, strict: boolean): T[] {
  const refused = new Set(withheld.filter((entry) => strict || entry.reason === 'field_not_declared_for_purpose').map((entry) => entry.field));
  // The API may withhold every custom value at once, naming the whole object.
  if (refused.has('customFields')) return [];
  return definitions.filter((definition) => !refused.has(customFieldName(definition.key)));
}
