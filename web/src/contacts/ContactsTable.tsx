import { type ColumnDef, flexRender, getCoreRowModel, type Header, useReactTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { type ContactSort, nextSort } from './contactSort.ts';
import type { ContactRow } from './useContactPages.ts';

const rowHeight = 44;

type ContactsTableProps = {
  rows: ContactRow[];
  /** The name and the chosen columns, in order (contactColumns). */
  columns: Array<ColumnDef<ContactRow>>;
  /** All rows the list holds, when counted (aria-rowcount); the rendered rows are a window of them. */
  total: number | undefined;
  /** The list's order; null for search results, which come in the search's own order and do not sort. */
  sort: ContactSort | null;
  onSort(sort: ContactSort): void;
  hasMore: boolean;
  loadMore(): void;
};

function SortableHeader({ header, sort, onSort }: { header: Header<ContactRow, unknown>; sort: ContactSort | null; onSort(sort: ContactSort): void }) {
  const sortKey = sort ? header.column.columnDef.meta?.sortKey : undefined;
  const label = flexRender(header.column.columnDef.header, header.getContext());
  const sorted = sort && sortKey === sort.key ? (sort.descending ? 'descending' : 'ascending') : undefined;
  return (
    <th scope="col" aria-sort={sorted} style={{ width: header.getSize() }}>
      {sortKey ? (
        <button type="button" className="sort-button" onClick={() => sort && onSort(nextSort(sort, sortKey))}>
          {label}
          <span aria-hidden="true" className="sort-indicator">
            {sorted === 'descending' ? '↓' : sorted === 'ascending' ? '↑' : '↕'}
          </span>
        </button>
      ) : (
        label
      )}
    </th>
  );
}

/**
 * The contacts as a table whose rows are virtualised: however long the list, only the rows in
 * view (and a few around them) are in the page, so scrolling 2,000 contacts keeps ~40 rows.
 * Sorting is the server's (keys that are never personal values); the next page is fetched
 * when the last loaded row comes into view.
 */
export function ContactsTable({ rows, columns, total, sort, onSort, hasMore, loadMore }: ContactsTableProps) {
  const table = useReactTable({
    data: rows,
    columns,
    getRowId: (row) => row.contact.id,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
  });
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => rowHeight, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const lastRendered = items.at(-1)?.index ?? -1;

  useEffect(() => {
    if (hasMore && lastRendered >= rows.length - 1 - 20) loadMore();
  }, [hasMore, lastRendered, rows.length, loadMore]);

  const tableRows = table.getRowModel().rows;
  const width = table.getTotalSize();
  return (
    <div className="table-scroller" ref={scroller}>
      <table className="data-table" aria-label="Contacts" aria-rowcount={(total ?? rows.length) + 1} style={{ width }}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} aria-rowindex={1}>
              {group.headers.map((header) => (
                <SortableHeader key={header.id} header={header} sort={sort} onSort={onSort} />
              ))}
            </tr>
          ))}
        </thead>
        <tbody style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = tableRows[item.index];
            return (
              <tr key={row.id} aria-rowindex={item.index + 2} style={{ transform: `translateY(${item.start}px)`, height: rowHeight }}>
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} style={{ width: cell.column.getSize() }}>
                    <span className="cell-content">{flexRender(cell.column.columnDef.cell, cell.getContext())}</span>
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
