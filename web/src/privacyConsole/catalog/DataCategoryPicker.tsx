import { ComboBox, Label, ListBox, ListBoxItem, Popover, Text } from 'react-aria-components';
import { ComboInput } from '../../ui/ComboInput.tsx';
import type { DataCategory } from '../../api/types.ts';

type DataCategoryPickerProps = {
  categories: DataCategory[];
  value: string | null;
  onChange(key: string | null): void;
};

/** A fideslang data category, found by typing any part of its key (user.contact.address.city) and chosen from the list. */
export function DataCategoryPicker({ categories, value, onChange }: DataCategoryPickerProps) {
  return (
    <ComboBox
      className="field category-picker"
      defaultItems={categories}
      selectedKey={value}
      onSelectionChange={(key) => onChange(key === null ? null : String(key))}
      menuTrigger="focus"
    >
      <Label>Data category</Label>
      <ComboInput showLabel="Show the categories" />
      <Text slot="description">fideslang taxonomy: type part of a key, such as “address” or “financial”.</Text>
      <Popover className="select-popover category-popover">
        <ListBox className="select-options">
          {(category: DataCategory) => (
            <ListBoxItem id={category.key} textValue={category.key} className="select-option category-option">
              <span className="category-key">{category.key}</span>
              <span className="category-name">{category.name}</span>
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </ComboBox>
  );
}
