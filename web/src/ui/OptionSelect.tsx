import { Button, Label, ListBox, ListBoxItem, Popover, Select, SelectValue } from 'react-aria-components';

type OptionSelectProps = {
  label: string;
  value: string;
  /** The keys to choose from, with their names, in order. */
  options: ReadonlyArray<readonly [string, string]>;
  onChange(key: string): void;
  isDisabled?: boolean;
  className?: string;
  labelClassName?: string;
  name?: string;
};

/** A labelled choice of one of a few named values: a button that opens the list, by pointer or keyboard. */
export function OptionSelect({ label, value, options, onChange, isDisabled, className = 'filter-select', labelClassName, name }: OptionSelectProps) {
  return (
    <Select className={className} name={name} value={value} isDisabled={isDisabled} onChange={(key) => key !== null && onChange(String(key))}>
      <Label className={labelClassName}>{label}</Label>
      <Button className="button select-button">
        <SelectValue />
        <span aria-hidden="true" className="chevron">
          ▾
        </span>
      </Button>
      <Popover className="select-popover">
        <ListBox className="select-options">
          {options.map(([key, optionName]) => (
            <ListBoxItem key={key} id={key} className="select-option">
              {optionName}
            </ListBoxItem>
          ))}
        </ListBox>
      </Popover>
    </Select>
  );
}
