import { ChoiceSelect } from './ChoiceSelect.tsx';

const any = 'any';

type FilterSelectProps<T extends string> = {
  label: string;
  value: T | null;
  /** The values to choose from, with their names. */
  options: Record<T, string>;
  onChange(value: T | null): void;
  isDisabled?: boolean;
  /** The choice of no value: "Any" for a filter; null where a value must be chosen. */
  noneLabel?: string | null;
  /** Whether the label is for screen readers only, where the row or column around names the choice. */
  labelHidden?: boolean;
};

/** A labelled choice of one value, or of none ("Any" when it filters a list). */
export function FilterSelect<T extends string>({ label, value, options, onChange, isDisabled, noneLabel = 'Any', labelHidden = false }: FilterSelectProps<T>) {
  const none = noneLabel === null ? [] : [{ id: any, name: noneLabel }];
  const choices = [...none, ...Object.entries<string>(options).map(([id, name]) => ({ id, name }))];
  return (
    <ChoiceSelect
      label={label}
      labelClassName={labelHidden ? 'visually-hidden' : 'field-label'}
      value={value ?? any}
      choices={choices}
      isDisabled={isDisabled}
      onChange={(key) => onChange(key === any ? null : (key as T))}
    />
  );
}
