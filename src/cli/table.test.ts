import { describe, expect, it } from 'vitest';
import { formatTable, shortDate } from './table.ts';

describe('formatTable', () => {
  it('pads every column but the last to its widest cell', () => {
    expect(
      formatTable(
        ['slug', 'name'],
        [
          ['acme', 'Acme Inc'],
          ['demo-workspace', 'Demo'],
        ],
      ),
    ).toBe('slug            name\nacme            Acme Inc\ndemo-workspace  Demo\n');
  });

  it('prints the header alone when there are no rows', () => {
    expect(formatTable(['slug', 'name'], [])).toBe('slug  name\n');
  });
});

describe('shortDate', () => {
  it('shows a date in UTC to the minute, and a dash for none', () => {
    expect(shortDate(new Date('2026-12-03T10:53:26.123Z'))).toBe('2026-12-03 10:53Z');
    expect(shortDate(null)).toBe('-');
  });
});
