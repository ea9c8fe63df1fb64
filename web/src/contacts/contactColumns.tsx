import { type ColumnDef, createColumnHelper } from '@tanstack/react-table';
import { Link } from 'react-router';
import { EmptyValue, PersonalValue, WithheldBadge } from '../privacy/PersonalValue.tsx';
import { formatDate, humanise } from '../ui/format.ts';
import { type ColumnChoice, customFieldKeyOf, type StandardColumn, standardColumns } from './contactColumnChoice.ts';
import { contactName } from './contactName.ts';
import type { ContactSortKey } from './contactSort.ts';
import type { ContactRow } from './useContactPages.ts';

declare module '@tanstack/react-table' {
  interface ColumnMeta<TData, TValue> {
    /** The API sort key a click on the header sorts by; absent: the column cannot be sorted (personal values never are). */
    sortKey?: ContactSortKey;
  }
}

const column = createColumnHelper<ContactRow>();

type PersonalField = 'firstName' | 'lastName' | 'email' | 'phone' | 'jobTitle' | 'city' | 'country' | 'externalId';

/** A personal field of the contact, or why it is withheld. */
const personal = (field: PersonalField, header: string, size: number) =>
  column.display({
    id: field,
    header,
    size,
    cell: ({ row }) => <PersonalValue value={row.original.contact[field]} withheld={row.original.withheld.get(field)} compact />,
  });

/** A custom field's value, or why it is withheld (the API names it customFields.<key>, or all of customFields). */
const custom = (id: string, key: string, header: string) =>
  column.display({
    id,
    header,
    size: 180,
    cell: ({ row }) => (
      <PersonalValue
        value={row.original.contact.customFields[key]}
        withheld={row.original.withheld.get(id) ?? row.original.withheld.get('customFields')}
        compact
      />
    ),
  });

const date = (field: ContactSortKey, header: string) =>
  column.display({
    id: field,
    header,
    size: 140,
    meta: { sortKey: field },
    cell: ({ row }) => {
      const value = row.original.contact[field];
      return value ? <time dateTime={value}>{formatDate(value)}</time> : <EmptyValue />;
    },
  });

function NameCell({ row }: { row: ContactRow }) {
  const name = contactName(row.contact);
  const withheld = row.withheld.get('firstName') ?? row.withheld.get('lastName');
  return (
    <Link to={`/contacts/${row.contact.id}`} className="row-link">
      {name ?? (withheld ? <WithheldBadge reason={withheld} /> : 'Unnamed contact')}
    </Link>
  );
}

const nameColumn = column.display({ id: 'name', header: 'Name', size: 220, cell: ({ row }) => <NameCell row={row.original} /> });

const standard: Record<StandardColumn, ColumnDef<ContactRow>> = {
  firstName: personal('firstName', 'First name', 160),
  lastName: personal('lastName', 'Last name', 160),
  email: personal('email', 'E-mail', 290),
  phone: personal('phone', 'Phone', 170),
  jobTitle: personal('jobTitle', 'Job title', 230),
  city: personal('city', 'City', 150),
  country: personal('country', 'Country', 150),
  externalId: personal('externalId', 'External id', 170),
  lifecycleStage: column.display({ id: 'lifecycleStage', header: 'Stage', size: 210, cell: ({ row }) => humanise(row.original.contact.lifecycleStage) }),
  source: column.display({ id: 'source', header: 'Source', size: 130, cell: ({ row }) => humanise(row.original.contact.source) }),
  lastActivityAt: date('lastActivityAt', 'Last activity'),
  createdAt: date('createdAt', 'Created'),
  updatedAt: date('updatedAt', 'Updated'),
};

const customLabel = (key: string, customLabels: ReadonlyMap<string, string>) => customLabels.get(key) ?? humanise(key);

/** Every column the table may show, named as its header: the standard ones, the workspace's custom fields, and any custom one already shown. */
export function contactColumnChoices(shown: readonly string[], customLabels: ReadonlyMap<string, string>): ColumnChoice[] {
  const customKeys = new Set([...customLabels.keys(), ...shown.flatMap((id) => customFieldKeyOf(id) ?? [])]);
  return [
    ...standardColumns.map((id) => ({ id, label: String(standard[id].header) })),
    ...[...customKeys].map((key) => ({ id: `customFields.${key}`, label: customLabel(key, customLabels) })),
  ];
}

/**
 * The table's columns: the name (the link to the contact) first, then the chosen ones in their
 * order; a custom field's header is its label in the workspace (`customLabels`), else its key.
 */
export function contactColumns(chosen: readonly string[], customLabels: ReadonlyMap<string, string>): Array<ColumnDef<ContactRow>> {
  return [
    nameColumn,
    ...chosen.map((id) => {
      const key = customFieldKeyOf(id);
      return key === null ? standard[id as StandardColumn] : custom(id, key, customLabel(key, customLabels));
    }),
  ];
}
