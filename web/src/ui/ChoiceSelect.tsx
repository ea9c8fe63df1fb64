import { Button, FieldError, Label, ListBox, ListBoxItem, Popover, Select, SelectValue } from 'react-aria-components';

type ChoiceSelectProps = {
  label: string;
  value: string;
  /** The values to choose from, in order, with their names. */
  choices: Array<{ id: string; name: string }>;
  onChange(value: string): void;
  isDisabled?: boolean;
  className?: string;
  labelClassName?: string;
  /** The form field's name, when the choice is part of a form. */
  name?: string;
};

/** A labelled choice of exactly one value (a pipeline, an order, a stage, a filter's value or "Any"), by pointer or keyboard. */
export function ChoiceSelect({
  label,
  value,
  choices,
  onChange,
  isDisabled,
  className = 'filter-select',
  labelClassName = 'field-label',
  name,
}: ChoiceSelectProps) {
  return (
    <Select className={className} name={name} value={value} isDisabled={isDisabled} onChange={(key) => key !== null && onChange(String(key))}>
      <Label className={labelClassName}>{label}</Label>
      <Button className="button select-button">
        <SelectValue />
        <span aria-hidden="true" className="chevron">
          ▾
        </span>
      </Button>
      {/* The server's reason for this field, when a form's validationErrors name it. */}
      <FieldError />
      <Popover className="select-popover">
        <ListBox className="select-options" items={choices}>
          {(choice) => (
            <ListBoxItem id={choice.id} className="select-option">
              {choice.name}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </Select>
  );
}
