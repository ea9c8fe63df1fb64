import type { ReactNode } from 'react';
import '../styles/tables.css';

export type SimpleColumn = { label: string; numeric?: boolean /** Named for screen readers only (a column of buttons). */; hidden?: boolean };

type SimpleTableProps = {
  /** The id of the heading that names the table. */
  labelledBy: string;
  columns: SimpleColumn[];
  className?: string;
  /**
   * A table wider than a phone: its scroller joins the tab order (named as the table), so a
   * keyboard can scroll it sideways; a table with a link or a button in each row needs none.
   */
  keyboardScroll?: boolean;
  /** The body's rows. */
  children: ReactNode;
};

/** A short table the browser lays out (not virtualised): its column headers, then the rows given; scrolls sideways on a narrow screen. */
export function SimpleTable({ labelledBy, columns, className, keyboardScroll = false, children }: SimpleTableProps) {
  const scrolling = keyboardScroll ? { tabIndex: 0, role: 'group', 'aria-labelledby': labelledBy } : {};
  return (
    <div className="simple-table-scroller" {...scrolling}>
      <table className={className ? `simple-table ${className}` : 'simple-table'} aria-labelledby={labelledBy}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.label} scope="col" className={column.numeric ? 'numeric' : undefined}>
                {column.hidden ? <span className="visually-hidden">{column.label}</span> : column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
