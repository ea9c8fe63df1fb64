import { contactFieldLabel } from '../contacts/contactFieldLabels.ts';
import { type LifecycleStage, stageLabels } from '../contacts/contactFilters.ts';
import { ChoiceSelect } from '../ui/ChoiceSelect.tsx';
import { TextInput } from '../ui/TextInput.tsx';
import type { ContactFormValues, EditableField } from './contactFormValues.ts';

const inputTypes: Partial<Record<EditableField, { type: string; autoComplete: string }>> = {
  email: { type: 'email', autoComplete: 'off' },
  phone: { type: 'tel', autoComplete: 'off' },
};

type ContactFormFieldsProps = {
  fields: readonly EditableField[];
  values: ContactFormValues;
  onChange(values: ContactFormValues): void;
};

/**
 * The inputs of the fields the purpose may write, and the stage. Each is named by its API
 * field, so the server's reason for a field (the Form's validationErrors) shows beside it.
 */
export function ContactFormFields({ fields, values, onChange }: ContactFormFieldsProps) {
  return (
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
    </div>
  );
}
