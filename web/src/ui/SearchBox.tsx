import { Button, Input, Label, SearchField, Text } from 'react-aria-components';

type SearchBoxProps = { label: string; description: string; value: string; onChange(text: string): void };

/** A labelled search field with a clear button while it holds text. */
export function SearchBox({ label, description, value, onChange }: SearchBoxProps) {
  return (
    <SearchField className="search-field" value={value} onChange={onChange}>
      <Label className="field-label">{label}</Label>
      <div className="search-input">
        <Input />
        {value !== '' && (
          <Button className="search-clear" aria-label="Clear the search">
            ✕
          </Button>
        )}
      </div>
      <Text slot="description">{description}</Text>
    </SearchField>
  );
}
