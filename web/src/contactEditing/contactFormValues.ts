import type { Contact, Withheld } from '../api/types.ts';
import type { LifecycleStage } from '../contacts/contactFilters.ts';
import { type CustomFieldShape, customFieldName, customKeyOf, customTextOf, customValueOf } from './customFieldValues.ts';

/*
 * What the contact forms edit: the personal text fields, the lifecycle stage, the owner, the
 * company and the custom fields, as the text the inputs hold. An empty input means "no
 * value": the API is sent null for it, which removes a value the contact had (or the owner,
 * or the link to a company).
 */
export const editableFields = ['firstName', 'lastName', 'email', 'phone', 'jobTitle', 'city', 'country'] as const;
export type EditableField = (typeof editableFields)[number];
export type ContactFormValues = Record<EditableField, string> & {
  lifecycleStage: LifecycleStage;
  /** The owner's user id; "" for nobody. */
  ownerId: string;
  /** The company's id; "" for none. */
  companyId: string;
  /** The custom fields' inputs by key. */
  customFields: Record<string, string>;
};
/** A field of the form by its API name: custom ones as customFields.<key>. */
export type FormField = EditableField | 'lifecycleStage' | 'ownerId' | 'companyId' | `customFields.${string}`;
const linkFields = ['lifecycleStage', 'ownerId', 'companyId'] as const;

export const emptyContactForm: ContactFormValues = {
  firstName: '',
  lastName: '',
  email: '',
  phone: '',
  jobTitle: '',
  city: '',
  country: '',
  lifecycleStage: 'lead',
  ownerId: '',
  companyId: '',
  customFields: {},
};

/** The text a field of the form holds. */
export function fieldText(values: ContactFormValues, field: FormField): string {
  const key = customKeyOf(field);
  if (key !== null) return values.customFields[key] ?? '';
  return values[field as EditableField | (typeof linkFields)[number]];
}

/** The form with one field set. */
export function withField(values: ContactFormValues, field: FormField, text: string): ContactFormValues {
  const key = customKeyOf(field);
  if (key !== null) return { ...values, customFields: { ...values.customFields, [key]: text } };
  return { ...values, [field]: text };
}

/** The contact as the form shows it (a withheld or empty field reads as an empty input). */
export function formValuesOf(contact: Contact): ContactFormValues {
  const values: ContactFormValues = {
    ...emptyContactForm,
    lifecycleStage: contact.lifecycleStage as LifecycleStage,
    ownerId: contact.ownerId ?? '',
    companyId: contact.companyId ?? '',
    customFields: Object.fromEntries(Object.entries(contact.customFields).map(([key, value]) => [key, customTextOf(value)])),
  };
  for (const field of editableFields) values[field] = contact[field] ?? '';
  return values;
}

/**
 * The fields the purpose may write: those it is not refused for the purpose itself (the API
 * names them withheld with field_not_declared_for_purpose on every record it reads for it).
 */
export function writableFields(withheld: Withheld): EditableField[] {
  const undeclared = new Set(withheld.filter((entry) => entry.reason === 'field_not_declared_for_purpose').map((entry) => entry.field));
  return editableFields.filter((field) => !undeclared.has(field));
}

const formFieldsOf = (a: ContactFormValues, b: ContactFormValues): FormField[] => [
  ...editableFields,
  ...linkFields,
  ...[...new Set([...Object.keys(a.customFields), ...Object.keys(b.customFields)])].sort().map((key) => customFieldName(key) as FormField),
];

/** The fields whose value differs between two versions of the form. */
export function changedFields(from: ContactFormValues, to: ContactFormValues): FormField[] {
  return formFieldsOf(from, to).filter((field) => fieldText(from, field).trim() !== fieldText(to, field).trim());
}

export type ContactChange = Partial<Record<EditableField | 'ownerId' | 'companyId', string | null>> & {
  lifecycleStage?: LifecycleStage;
  customFields?: Record<string, unknown>;
};

/**
 * The request body for the given fields of the form: trimmed text, null for an emptied
 * field; custom values typed by their definitions (a key without one is sent as text).
 */
export function changeOf(values: ContactFormValues, fields: readonly FormField[], definitions: readonly CustomFieldShape[] = []): ContactChange {
  const change: ContactChange = {};
  const types = new Map(definitions.map((definition) => [definition.key, definition.type]));
  for (const field of fields) {
    const key = customKeyOf(field);
    const text = fieldText(values, field);
    if (key !== null) change.customFields = { ...change.customFields, [key]: customValueOf(types.get(key) ?? 'text', text) };
    else if (field === 'lifecycleStage') change.lifecycleStage = values.lifecycleStage;
    else change[field as EditableField | 'ownerId' | 'companyId'] = text.trim() === '' ? null : text.trim();
  }
  return change;
}

/**
 * The body of a new contact: the fields the user filled in, and always the owner they chose
 * (the API makes the acting user the owner of a contact created without one, so "Nobody" must
 * be said).
 */
export function newContactOf(values: ContactFormValues, definitions: readonly CustomFieldShape[]): ContactChange {
  const fields = changedFields(emptyContactForm, values).filter((field) => field !== 'ownerId');
  return changeOf(values, [...fields, 'ownerId'], definitions);
}

/** The fields the user may edit on a contact read for the purpose: every field it shows (a withheld one is not the user's to change). */
export function visibleFields(withheld: Withheld): EditableField[] {
  const hidden = new Set(withheld.map((entry) => entry.field));
  return editableFields.filter((field) => !hidden.has(field));
}

/** The form after someone else saved `current`: their values, with the fields the user edited since `base` as the user has them. */
export function rebase(base: ContactFormValues, edited: ContactFormValues, current: ContactFormValues): ContactFormValues {
  let rebased = current;
  for (const field of changedFields(base, edited)) rebased = withField(rebased, field, fieldText(edited, field));
  return rebased;
}
