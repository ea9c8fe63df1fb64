import { createColumnHelper } from '@tanstack/react-table';
import { Link } from 'react-router';
import { EmptyValue, PersonalValue, WithheldBadge } from '../privacy/PersonalValue.tsx';
import { formatDate, humanise } from '../ui/format.ts';
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

/** A personal field of the contact, or why it is withheld. */
const personal = (field: 'email' | 'phone' | 'jobTitle' | 'city' | 'country', header: string, size: number) =>
  column.display({
    id: field,
    header,
    size,
    cell: ({ row }) => <PersonalValue value={row.original.contact[field]} withheld={row.original.withheld.get(field)} compact />,
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

export const contactColumns = [
  column.display({ id: 'name', header: 'Name', size: 220, cell: ({ row }) => <NameCell row={row.original} /> }),
  personal('email', 'E-mail', 290),
  personal('phone', 'Phone', 170),
  personal('jobTitle', 'Job title', 230),
  personal('city', 'City', 150),
  column.display({ id: 'lifecycleStage', header: 'Stage', size: 210, cell: ({ row }) => humanise(row.original.contact.lifecycleStage) }),
  date('lastActivityAt', 'Last activity'),
  date('createdAt', 'Created'),
  date('updatedAt', 'Updated'),
];
