import { contactFieldLabel } from '../contacts/contactFieldLabels.ts';
import { stageLabels } from '../contacts/contactFilters.ts';
import { type ContactFormValues, type FormField, fieldText } from './contactFormValues.ts';
import { type CustomFieldShape, customKeyOf, customValueShown } from './customFieldValues.ts';

/** A form field's name on screen: a custom field by its definition's label. */
export function formFieldLabel(field: string, definitions: readonly CustomFieldShape[]): string {
  const key = customKeyOf(field);
  if (key !== null) return definitions.find((definition) => definition.key === key)?.label ?? contactFieldLabel(field);
  if (field === 'lifecycleStage') return 'Stage';
  if (field === 'ownerId') return 'Owner';
  if (field === 'companyId') return 'Company';
  return contactFieldLabel(field);
}

/** A field's value as text to show ("" for none); the owner and company are named by the caller. */
export function formFieldText(values: ContactFormValues, field: FormField, definitions: readonly CustomFieldShape[]): string {
  if (field === 'lifecycleStage') return stageLabels[values.lifecycleStage];
  const key = customKeyOf(field);
  if (key !== null) return customValueShown(definitions.find((definition) => definition.key === key)?.type, fieldText(values, field));
  return fieldText(values, field).trim();
}
