import { ChoiceSelect } from './ChoiceSelect.tsx';

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
  const choices = [{ id: any, name: 'Any' }, ...Object.entries<string>(options).map(([id, name]) => ({ id, name }))];
  return (
    <ChoiceSelect label={label} value={value ?? any} choices={choices} isDisabled={isDisabled} onChange={(key) => onChange(key === any ? null : (key as T))} />
  );
}
