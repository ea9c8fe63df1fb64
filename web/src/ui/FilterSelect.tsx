import { OptionSelect } from './OptionSelect.tsx';

const any = 'any';

type FilterSelectProps<T extends string> = {
  label: string;
  value: T | null;
  /** The values to choose from, with their names. */
  options: Record<T, string>;
  onChange(value: T | null): void;
  isDisabled?: boolean;
};

/** A labelled choice of one value or "Any", for filtering a list. */
export function FilterSelect<T extends string>({ label, value, options, onChange, isDisabled }: FilterSelectProps<T>) {
  return (
    <OptionSelect
      label={label}
      labelClassName="field-label"
      value={value ?? any}
      options={[[any, 'Any'], ...Object.entries<string>(options)]}
      onChange={(key) => onChange(key === any ? null : (key as T))}
      isDisabled={isDisabled}
    />
  );
}
