/** Rows as left-aligned columns separated by two spaces, the header first; ends with a newline. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

/** A date as the CLI shows it: UTC, to the minute. */
export const shortDate = (date: Date | null): string => (date ? `${date.toISOString().slice(0, 16).replace('T', ' ')}Z` : '-');
