import { Button, Label, ListBox, ListBoxItem, Popover, Select, SelectValue } from 'react-aria-components';

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
  const entries = Object.entries(options) as Array<[T, string]>;
  return (
    <Select
      className="filter-select"
      value={value ?? any}
      isDisabled={isDisabled}
      onChange={(key) => onChange(key === any || key === null ? null : (String(key) as T))}
    >
      <Label className={labelHidden ? 'visually-hidden' : 'field-label'}>{label}</Label>
      <Button className="button select-button">
        <SelectValue />
        <span aria-hidden="true" className="chevron">
          ▾
        </span>
      </Button>
      <Popover className="select-popover">
        <ListBox className="select-options">
          {noneLabel !== null && (
            <ListBoxItem id={any} className="select-option">
              {noneLabel}
            </ListBoxItem>
          )}
          {entries.map(([key, name]) => (
            <ListBoxItem key={key} id={key} className="select-option">
              {name}
            </ListBoxItem>
          ))}
        </ListBox>
      </Popover>
    </Select>
  );
}
