import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ComboBox, FieldError, Label, ListBox, ListBoxItem, Popover, Text } from 'react-aria-components';
import { ComboInput } from '../ui/ComboInput.tsx';
import { api, forPurpose } from '../api/client.ts';
import { dataOf } from '../api/problem.ts';
import { useCompany } from '../contact/useContactRecord.ts';
import { useDebouncedValue } from '../ui/useDebouncedValue.ts';

type CompanyPickerProps = {
  purpose: string;
  /** The company's id; "" for none. */
  value: string;
  onChange(companyId: string): void;
};

type CompanyChoice = { id: string; name: string };

/** The first companies whose name starts with what was typed (the companies page's search). */
function useCompaniesNamed(purpose: string, prefix: string) {
  return useQuery({
    queryKey: ['companies', purpose, 'named', prefix],
    queryFn: async () =>
      dataOf(
        await api.GET('/api/v1/companies', {
          params: { query: { sort: 'name', limit: 10, ...(prefix ? { namePrefix: prefix } : {}) } },
          headers: forPurpose(purpose),
        }),
      ).data.map((company): CompanyChoice => ({ id: company.id, name: company.name })),
  });
}

/**
 * The contact's company, found by the start of its name as the user types and chosen from
 * the list; emptying the input removes the link.
 */
export function CompanyPicker({ purpose, value, onChange }: CompanyPickerProps) {
  const chosen = useCompany(purpose, value === '' ? null : value);
  const chosenName = chosen.data?.data.name ?? '';
  const [inputValue, setInputValue] = useState('');
  // The chosen company's name once it is read (editing a contact that has one, or after a
  // 412 put another version in the form); empty when the form holds no company.
  useEffect(() => {
    if (value === '') setInputValue('');
    else if (chosenName !== '') setInputValue(chosenName);
  }, [value, chosenName]);
  const prefix = useDebouncedValue(inputValue.trim() === chosenName ? '' : inputValue.trim(), 250);
  const found = useCompaniesNamed(purpose, prefix);
  const items = [...(found.data ?? [])];
  if (value !== '' && chosenName !== '' && !items.some((item) => item.id === value)) items.unshift({ id: value, name: chosenName });

  return (
    <ComboBox
      className="field company-picker"
      name="companyId"
      items={items}
      selectedKey={value === '' ? null : value}
      inputValue={inputValue}
      onInputChange={(text) => {
        setInputValue(text);
        if (text.trim() === '') onChange('');
      }}
      onSelectionChange={(key) => {
        const id = key === null ? '' : String(key);
        onChange(id);
        setInputValue(items.find((item) => item.id === id)?.name ?? '');
      }}
      menuTrigger="input"
      allowsEmptyCollection
    >
      <Label>Company</Label>
      <ComboInput showLabel="Show the companies" />
      <Text slot="description">Type the start of its name; empty it for no company.</Text>
      <FieldError />
      <Popover className="select-popover company-popover">
        <ListBox
          className="select-options"
          renderEmptyState={() => <p className="select-empty">{found.isPending ? 'Looking…' : 'No company starts with that.'}</p>}
        >
          {(company: CompanyChoice) => (
            <ListBoxItem id={company.id} textValue={company.name} className="select-option">
              {company.name}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </ComboBox>
  );
}
