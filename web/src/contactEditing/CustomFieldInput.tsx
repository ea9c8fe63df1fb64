import { ChoiceSelect } from '../ui/ChoiceSelect.tsx';
import { TextInput } from '../ui/TextInput.tsx';
import { type CustomFieldShape, customFieldName } from './customFieldValues.ts';

type CustomFieldInputProps = { definition: CustomFieldShape; value: string; onChange(value: string): void };

// A select's "no value" (its keys may not be empty).
const notSet = '__not_set__';

/**
 * One custom field's input, by its type. Named customFields.<key>, as the API's 422 names
 * it, so the server's reason shows beside it. A number is typed as text (with a numeric
 * keyboard): what the user typed reaches the API, which says why it is not a number.
 */
export function CustomFieldInput({ definition, value, onChange }: CustomFieldInputProps) {
  const name = customFieldName(definition.key);
  if (definition.type === 'boolean' || definition.type === 'select') {
    const options =
      definition.type === 'boolean'
        ? [
            { id: 'true', name: 'Yes' },
            { id: 'false', name: 'No' },
          ]
        : (definition.options ?? []).map((option) => ({ id: option, name: option }));
    return (
      <ChoiceSelect
        className="field filter-select"
        name={name}
        label={definition.label}
        labelClassName="form-label"
        value={value === '' ? notSet : value}
        choices={[{ id: notSet, name: 'Not set' }, ...options]}
        onChange={(key) => onChange(key === notSet ? '' : key)}
      />
    );
  }
  return (
    <TextInput
      name={name}
      label={definition.label}
      value={value}
      onChange={onChange}
      type={definition.type === 'date' ? 'date' : 'text'}
      inputMode={definition.type === 'number' ? 'decimal' : undefined}
      autoComplete="off"
    />
  );
}
