import type { User } from '../api/types.ts';
import { contactFieldLabel } from '../contacts/contactFieldLabels.ts';
import { type LifecycleStage, stageLabels } from '../contacts/contactFilters.ts';
import { ChoiceSelect } from '../ui/ChoiceSelect.tsx';
import { TextInput } from '../ui/TextInput.tsx';
import { CompanyPicker } from './CompanyPicker.tsx';
import type { ContactFormValues, EditableField } from './contactFormValues.ts';
import { CustomFieldInput } from './CustomFieldInput.tsx';
import type { CustomFieldShape } from './customFieldValues.ts';
import { OwnerSelect } from './OwnerSelect.tsx';

const inputTypes: Partial<Record<EditableField, { type: string; autoComplete: string }>> = {
  email: { type: 'email', autoComplete: 'off' },
  phone: { type: 'tel', autoComplete: 'off' },
};

/** Who may own the contact: the signed-in user, the active users when the role may list them, and the owner it has now. */
export type OwnerOptions = { meId: string | null; users: readonly User[] | null; currentOwnerId: string };

type ContactFormFieldsProps = {
  purpose: string;
  fields: readonly EditableField[];
  customFields: readonly CustomFieldShape[];
  owners: OwnerOptions;
  values: ContactFormValues;
  onChange(values: ContactFormValues): void;
};

/**
 * The inputs of the fields the purpose may write, the stage, the owner, the company and the
 * custom fields. Each is named by its API field, so the server's reason for a field (the
 * Form's validationErrors) shows beside it.
 */
export function ContactFormFields({ purpose, fields, customFields, owners, values, onChange }: ContactFormFieldsProps) {
  return (
    <>
      <div className="form-grid">
        {fields.map((field) => (
          <TextInput
            key={field}
            name={field}
            label={contactFieldLabel(field)}
            value={values[field]}
            onChange={(value) => onChange({ ...values, [field]: value })}
            type={inputTypes[field]?.type ?? 'text'}
            autoComplete={inputTypes[field]?.autoComplete ?? 'off'}
          />
        ))}
        <ChoiceSelect
          className="field filter-select"
          name="lifecycleStage"
          label="Stage"
          labelClassName="form-label"
          value={values.lifecycleStage}
          choices={Object.entries(stageLabels).map(([id, stageName]) => ({ id, name: stageName }))}
          onChange={(key) => onChange({ ...values, lifecycleStage: key as LifecycleStage })}
        />
        <OwnerSelect {...owners} value={values.ownerId} onChange={(ownerId) => onChange({ ...values, ownerId })} />
        <CompanyPicker purpose={purpose} value={values.companyId} onChange={(companyId) => onChange({ ...values, companyId })} />
      </div>
      {customFields.length > 0 && (
        <fieldset className="custom-fields">
          <legend>Custom fields</legend>
          <div className="form-grid">
            {customFields.map((definition) => (
              <CustomFieldInput
                key={definition.key}
                definition={definition}
                value={values.customFields[definition.key] ?? ''}
                onChange={(text) => onChange({ ...values, customFields: { ...values.customFields, [definition.key]: text } })}
              />
            ))}
          </div>
        </fieldset>
      )}
    </>
  );
}
