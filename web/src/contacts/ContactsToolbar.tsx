import type { ReactNode } from 'react';
import { Checkbox } from 'react-aria-components';
import { FilterSelect } from '../ui/FilterSelect.tsx';
import { SearchBox } from '../ui/SearchBox.tsx';
import { type ContactFilters, sourceLabels, stageLabels } from './contactFilters.ts';

type ContactsToolbarProps = {
  search: string;
  onSearch(text: string): void;
  filters: ContactFilters;
  onFilters(filters: ContactFilters): void;
  /** While a search is shown, the filters (which apply to the list) are set aside. */
  searching: boolean;
  /** More controls at the toolbar's end (the column chooser). */
  children?: ReactNode;
};

/** Find a contact, or narrow the list by stage, source and owner; and the table's other controls. */
export function ContactsToolbar({ search, onSearch, filters, onFilters, searching, children }: ContactsToolbarProps) {
  return (
    <div className="toolbar">
      <SearchBox
        label="Find a contact"
        description="The start of a first or last name, or a whole e-mail address or phone number."
        value={search}
        onChange={onSearch}
      />
      <FilterSelect label="Stage" value={filters.stage} options={stageLabels} onChange={(stage) => onFilters({ ...filters, stage })} isDisabled={searching} />
      <FilterSelect
        label="Source"
        value={filters.source}
        options={sourceLabels}
        onChange={(source) => onFilters({ ...filters, source })}
        isDisabled={searching}
      />
      <Checkbox className="checkbox" isSelected={filters.mine} onChange={(mine) => onFilters({ ...filters, mine })} isDisabled={searching}>
        <span className="checkbox-box" aria-hidden="true" />
        Only mine
      </Checkbox>
      {children}
    </div>
  );
}
