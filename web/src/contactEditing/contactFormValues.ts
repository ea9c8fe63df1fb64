import type { Contact, Withheld } from '../api/types.ts';
import type { LifecycleStage } from '../contacts/contactFilters.ts';

/*
 * What the contact forms edit: the personal text fields and the lifecycle stage, as the text
 * the inputs hold. An empty input means "no value": the API is sent null for it, which
 * removes a value the contact had.
 */
export const editableFields = ['firstName', 'lastName', 'email', 'phone', 'jobTitle', 'city', 'country'] as const;
export type EditableField = (typeof editableFields)[number];
export type ContactFormValues = Record<EditableField, string> & { lifecycleStage: LifecycleStage };
export type FormField = keyof ContactFormValues;

export const emptyContactForm: ContactFormValues = {
  firstName: '',
  lastName: '',
  email: '',
  phone: '',
  jobTitle: '',
  city: '',
  country: '',
  lifecycleStage: 'lead',
};

/** The contact as the form shows it (a withheld or empty field reads as an empty input). */
export function formValuesOf(contact: Contact): ContactFormValues {
  const values = { ...emptyContactForm, lifecycleStage: contact.lifecycleStage as LifecycleStage };
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

/** The fields whose value differs between two versions of the form. */
export function changedFields(from: ContactFormValues, to: ContactFormValues): FormField[] {
  return (Object.keys(to) as FormField[]).filter((field) => from[field].trim() !== to[field].trim());
}

export type ContactChange = Partial<Record<EditableField, string | null>> & { lifecycleStage?: LifecycleStage };

/** The request body for the given fields of the form: trimmed text, null for an emptied field. */
export function changeOf(values: ContactFormValues, fields: readonly FormField[]): ContactChange {
  const change: ContactChange = {};
  for (const field of fields) {
    if (field === 'lifecycleStage') change.lifecycleStage = values.lifecycleStage;
    else change[field] = values[field].trim() === '' ? null : values[field].trim();
  }
  return change;
}

/** The fields the user may edit on a contact read for the purpose: every field it shows (a withheld one is not the user's to change). */
export function visibleFields(withheld: Withheld): EditableField[] {
  const hidden = new Set(withheld.map((entry) => entry.field));
  return editableFields.filter((field) => !hidden.has(field));
}

/** The form after someone else saved `current`: their values, with the fields the user edited since `base` as the user has them. */
export function rebase(base: ContactFormValues, edited: ContactFormValues, current: ContactFormValues): ContactFormValues {
  const rebased = { ...current };
  for (const field of changedFields(base, edited)) Object.assign(rebased, { [field]: edited[field] });
  return rebased;
}
