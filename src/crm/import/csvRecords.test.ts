import { createReadStream, readFileSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import type { ImportObject } from './columnMapping.ts';
import { CsvFormatError, readCsvRecords, type CsvHeaderItem, type CsvImportItem, type CsvRowItem } from './csvRecords.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../../../test/fixtures/import/${name}`, import.meta.url));

async function collect(iterable: AsyncIterable<CsvImportItem>): Promise<{ header: CsvHeaderItem; rows: CsvRowItem[] }> {
  const items: CsvImportItem[] = [];
  for await (const item of iterable) items.push(item);
  const [header, ...rows] = items;
  if (header?.kind !== 'header' || rows.some((r) => r.kind !== 'row')) throw new Error('unexpected item order');
  return { header, rows: rows as CsvRowItem[] };
}

function readFixture(name: string, object: ImportObject, highWaterMark = 64) {
  return collect(readCsvRecords(createReadStream(fixture(name), { highWaterMark }), object));
}

/** Emits the bytes one at a time, so every record and line break straddles chunk borders. */
function byteByByte(bytes: Buffer): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
    })(),
  );
}

describe('readCsvRecords', () => {
  it.each([
    ['hubspot-contacts.csv', 'contact', 7],
    ['hubspot-companies.csv', 'company', 5],
    ['salesforce-contacts.csv', 'contact', 6],
    ['salesforce-accounts.csv', 'company', 5],
    ['candor-contacts.csv', 'contact', 5],
  ] as const)('yields the header mapping, then only valid rows, for %s', async (name, object, rowCount) => {
    const { header, rows } = await readFixture(name, object);
    expect(header.mapping.length).toBeGreaterThan(0);
    expect(rows).toHaveLength(rowCount);
    expect(rows.filter((r) => !r.result.ok)).toEqual([]);
  });

  it('carries typed, normalised values from the export into the records', async () => {
    const { rows } = await readFixture('salesforce-accounts.csv', 'company');
    expect(rows[0].result).toEqual({
      ok: true,
      record: {
        external_id: '0018d00000Lm1aAAAB',
        name: 'Acme Industrial Supplies',
        domain: 'acme.example.com',
        industry: 'Manufacturing',
        phone: '+23415550100',
        city: 'Lagos',
        country: 'Nigeria',
        employee_count: 240,
        annual_revenue: 12500000,
        created_at: new Date('2023-10-20T11:00:00.000Z'),
      },
    });
  });

  it('numbers rows by the physical line they start on when quoted cells span lines', async () => {
    const { rows } = await readFixture('salesforce-contacts.csv', 'contact');
    expect(rows.map((r) => r.line)).toEqual([2, 5, 6, 9, 10, 11]);
  });

  it('counts a CRLF inside a quoted cell as one line break', async () => {
    const { rows } = await readFixture('hubspot-companies.csv', 'company');
    expect(rows.map((r) => r.line)).toEqual([2, 3, 5, 6, 7]);
  });

  it('reports each invalid row with its line, field and reason, and skips blank lines', async () => {
    const { rows } = await readFixture('contacts-with-errors.csv', 'contact');
    const summary = rows.map((r) => ({ line: r.line, errors: r.result.ok ? [] : r.result.errors }));
    expect(summary).toEqual([
      { line: 2, errors: [] },
      { line: 3, errors: [{ field: 'email', reason: 'not a valid email address' }] },
      { line: 4, errors: [{ field: 'row', reason: 'a contact needs at least one of email, phone, last_name, first_name' }] },
      { line: 6, errors: [{ field: 'created_at', reason: expect.stringMatching(/^not a valid date/) }] },
      { line: 7, errors: [] },
      {
        line: 9,
        errors: [
          { field: 'phone', reason: 'not a valid phone number' },
          { field: 'lifecycle_stage', reason: expect.stringMatching(/^not a known lifecycle stage/) },
        ],
      },
      {
        line: 10,
        errors: [
          { field: 'owner_email', reason: 'not a valid email address' },
          { field: 'created_at', reason: expect.stringMatching(/^not a valid date/) },
        ],
      },
      { line: 11, errors: [] },
    ]);
  });

  it('keeps the multi-line cell intact in the record', async () => {
    const { rows } = await readFixture('contacts-with-errors.csv', 'contact');
    const dev = rows.find((r) => r.line === 7);
    expect(dev?.result.ok && dev.result.record).toMatchObject({ job_title: 'Head of\nSales, EMEA' });
  });

  it('never puts cell values from the error fixture into reasons', async () => {
    const { rows } = await readFixture('contacts-with-errors.csv', 'contact');
    const reasons = rows.flatMap((r) => (r.result.ok ? [] : r.result.errors.map((e) => e.reason))).join('\n');
    for (const value of ['ben.carter@', 'call me maybe', 'Prospect', 'not-an-owner', '31/01/2024', '2024-02-30']) {
      expect(reasons).not.toContain(value);
    }
  });

  it('gives the same lines when every byte arrives in its own chunk', async () => {
    for (const name of ['contacts-with-errors.csv', 'hubspot-companies.csv', 'hubspot-contacts.csv']) {
      const whole = await readFixture(name, 'contact', 1 << 16);
      const split = await collect(readCsvRecords(byteByByte(readFileSync(fixture(name))), 'contact'));
      expect(
        split.rows.map((r) => r.line),
        name,
      ).toEqual(whole.rows.map((r) => r.line));
    }
  });

  it('strips a UTF-8 byte order mark before mapping the first header', async () => {
    expect(readFileSync(fixture('hubspot-contacts.csv')).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const { header, rows } = await readFixture('hubspot-contacts.csv', 'contact');
    expect(header.mapping[0]).toEqual({ column: 0, header: 'Record ID', field: 'external_id' });
    expect(rows.map((r) => r.line)).toEqual([2, 3, 4, 5, 7, 8, 9]);
  });

  it('reads string chunks, a BOM and CRLF line ends from an in-memory stream', async () => {
    const csv = '\uFEFFEmail,"Job Title"\r\n"a@example.com","Head of\r\nSales"\r\n\r\nb@example.com,CTO';
    const { header, rows } = await collect(readCsvRecords(Readable.from([csv.slice(0, 7), csv.slice(7)]), 'contact'));
    expect(header.mapping.map((m) => m.field)).toEqual(['email', 'job_title']);
    expect(rows.map((r) => [r.line, r.result])).toEqual([
      [2, { ok: true, record: { email: 'a@example.com', job_title: 'Head of\r\nSales' } }],
      [5, { ok: true, record: { email: 'b@example.com', job_title: 'CTO' } }],
    ]);
  });

  it('treats missing trailing cells as empty instead of failing the file', async () => {
    const { rows } = await collect(readCsvRecords(Readable.from(['Email,City,Country\nx@example.com\n']), 'contact'));
    expect(rows[0].result).toEqual({ ok: true, record: { email: 'x@example.com' } });
  });

  it('applies column overrides', async () => {
    const input = Readable.from(['Work Email,Contact owner\nx@example.com,Sales One\n']);
    const { header, rows } = await collect(readCsvRecords(input, 'contact', { 'Work Email': 'email', 'Contact owner': null }));
    expect(header.unmapped).toEqual([]);
    expect(rows[0].result).toEqual({ ok: true, record: { email: 'x@example.com' } });
  });

  it('reports progress as the running total of bytes read', async () => {
    const seen: number[] = [];
    const path = fixture('salesforce-contacts.csv');
    await collect(
      readCsvRecords(createReadStream(path, { highWaterMark: 512 }), 'contact', undefined, {
        onProgress: (bytes) => seen.push(bytes),
      }),
    );
    expect(seen.length).toBeGreaterThan(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(statSync(path).size);
  });

  it('fails with a CsvFormatError that does not quote the file when a quote is never closed', async () => {
    const input = Readable.from(['Email,Title\nsecret@example.com,"Unclosed secret title\n']);
    const error = await collect(readCsvRecords(input, 'contact')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CsvFormatError);
    expect((error as CsvFormatError).code).toBe('CSV_QUOTE_NOT_CLOSED');
    expect((error as CsvFormatError).message).not.toMatch(/secret/);
  });

  it('fails with a CsvFormatError when the file has no header row', async () => {
    const error = await collect(readCsvRecords(Readable.from(['\n\n']), 'contact')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CsvFormatError);
    expect((error as CsvFormatError).code).toBe('CSV_NO_HEADER');
  });

  it('releases the input when the caller stops reading early', async () => {
    const input = createReadStream(fixture('salesforce-contacts.csv'), { highWaterMark: 64 });
    for await (const item of readCsvRecords(input, 'contact')) {
      if (item.kind === 'row') break;
    }
    if (!input.closed) await new Promise<void>((resolve) => input.once('close', () => resolve()));
    expect(input.destroyed).toBe(true);
  });
});
