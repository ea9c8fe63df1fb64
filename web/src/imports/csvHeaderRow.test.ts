import { describe, expect, it } from 'vitest';
import { csvHeaderRow } from './csvHeaderRow.ts';

describe('the header row of a CSV file', () => {
  it('is the first record, quoted names unquoted, without a byte order mark', () => {
    expect(csvHeaderRow('\uFEFF"Record ID","First Name",Email\r\n"1","Ada","ada@example.com"\n')).toEqual(['Record ID', 'First Name', 'Email']);
  });

  it('keeps commas, doubled quotes and line breaks inside quoted names', () => {
    expect(csvHeaderRow('"City, town","The ""real"" name","Two\nlines",Last\nvalue,b,c,d')).toEqual(['City, town', 'The "real" name', 'Two\nlines', 'Last']);
  });

  it('is empty for an empty file, and keeps an empty last name', () => {
    expect(csvHeaderRow('')).toEqual([]);
    expect(csvHeaderRow('a,b,\n1,2,3')).toEqual(['a', 'b', '']);
  });
});
