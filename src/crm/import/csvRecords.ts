// Streams a CSV export into validated import rows without holding the file in memory.

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { mapHeaders, type HeaderMapping, type ImportObject } from './columnMapping.ts';
import { parseConsentCells } from './consentColumns.ts';
import { parseImportDate, validateRow, type ContactImport, type RowValidationResult } from './rowValidation.ts';

export interface CsvHeaderItem extends HeaderMapping {
  kind: 'header';
}

export interface CsvRowItem {
  kind: 'row';
  /** 1-based physical line where the record starts; the header is line 1. */
  line: number;
  result: RowValidationResult;
}

export type CsvImportItem = CsvHeaderItem | CsvRowItem;

export interface ReadCsvOptions {
  /** Called after each chunk read from `input` with the total bytes read so far. */
  onProgress?: (bytesRead: number) => void;
}

/**
 * Thrown when the file is not parseable CSV. The message carries a code and a line number
 * only: csv-parse's own messages can quote file content, which may be personal data.
 */
export class CsvFormatError extends Error {
  constructor(
    readonly code: string,
    readonly line: number | undefined,
  ) {
    super(line === undefined ? `Malformed CSV (${code})` : `Malformed CSV near line ${line} (${code})`);
    this.name = 'CsvFormatError';
  }
}

const CR = 0x0d;
const LF = 0x0a;
const BOM = [0xef, 0xbb, 0xbf];

/**
 * Finds the physical line each record starts on. csv-parse's `info.lines` counts a CRLF
 * inside a quoted cell as two lines, so instead we count line breaks ourselves in the bytes
 * between the end of one record and the end of the next (csv-parse reports that end
 * offset exactly). Chunks are dropped once every record in them has been accounted for.
 */
class LineTracker {
  private chunks: Buffer[] = [];
  private position = 0; // offset within chunks[0]
  private consumed = 0; // absolute offset of the next unscanned byte
  private line = 1;
  private afterCR = false;

  append(chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  /** Line on which the record ending at absolute offset `end` starts. */
  startOfRecordEndingAt(end: number): number {
    let start: number | undefined;
    while (this.consumed < end && this.chunks.length > 0) {
      const chunk = this.chunks[0];
      const byte = chunk[this.position];
      // Blank lines (skipped by the parser) and the BOM come before the record proper.
      const leading = byte === CR || byte === LF || (this.consumed < BOM.length && byte === BOM[this.consumed]);
      if (start === undefined && !leading) start = this.line;
      if (byte === CR) this.line += 1;
      else if (byte === LF && !this.afterCR) this.line += 1;
      this.afterCR = byte === CR;
      this.consumed += 1;
      this.position += 1;
      if (this.position === chunk.length) {
        this.chunks.shift();
        this.position = 0;
      }
    }
    return start ?? this.line;
  }
}

async function* countedChunks(
  input: NodeJS.ReadableStream,
  tracker: LineTracker,
  onProgress: ((bytesRead: number) => void) | undefined,
): AsyncGenerator<Buffer> {
  let bytesRead = 0;
  for await (const chunk of input) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (buffer.length === 0) continue;
    tracker.append(buffer);
    bytesRead += buffer.length;
    onProgress?.(bytesRead);
    yield buffer;
  }
}

const parseOptions = { bom: true, skip_empty_lines: true, relax_column_count: true } as const;

/**
 * How many data rows a file held in memory has (records after the header, blank lines not
 * counted), read as readCsvRecords reads it; null when it is not parseable CSV (the import
 * itself then reports where it breaks). Cheap next to staging: nothing is validated.
 */
export async function countCsvRows(file: Buffer): Promise<number | null> {
  let records = 0;
  try {
    for await (const _record of Readable.from([file]).pipe(parse(parseOptions))) {
      records += 1;
      // A stream read from memory never returns to the event loop by itself (see importService.ts).
      if (records % 10_000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  } catch (error) {
    if (error instanceof CsvError) return null;
    throw error;
  }
  return Math.max(records - 1, 0);
}

/** The header of a file held in memory, mapped to the object's fields; null when the file has no parseable header. */
export async function readCsvHeader(file: Buffer, object: ImportObject, overrides?: Record<string, string | null>): Promise<HeaderMapping | null> {
  try {
    for await (const item of readCsvRecords(Readable.from([file]), object, overrides)) {
      if (item.kind === 'header') return item;
    }
  } catch (error) {
    if (error instanceof CsvFormatError) return null;
    throw error;
  }
  return null;
}

/** Adds a contact row's consent cells and consent date to its validation (src/crm/import/consentColumns.ts). */
function withConsents(result: RowValidationResult, header: HeaderMapping, cells: string[]): RowValidationResult {
  if (header.consentColumns.length === 0) return result;
  const { consents, errors } = parseConsentCells(header.consentColumns.map(({ column, purposeKey }) => ({ purposeKey, value: cells[column] ?? '' })));
  const rawDate = header.consentDateColumn === null ? '' : (cells[header.consentDateColumn] ?? '').trim();
  const date = rawDate === '' ? undefined : parseImportDate(rawDate);
  if (date === null) errors.push({ field: 'consent_date', reason: 'not a valid date (expected ISO 8601, e.g. 2024-01-31 or 2024-01-31T10:00:00Z)' });
  if (!result.ok || errors.length > 0) return { ok: false, errors: [...(result.ok ? [] : result.errors), ...errors] };
  if (consents.length === 0) return result;
  const record: ContactImport = { ...(result.record as ContactImport), consents, ...(date ? { consent_date: date } : {}) };
  return { ok: true, record };
}

interface ParsedRecord {
  record: string[];
  info: { bytes: number };
}

/**
 * Reads a CSV export. The first item is always `{ kind: 'header', mapping, unmapped }`
 * (so a caller can show or store the mapping before rows arrive), then one
 * `{ kind: 'row', line, result }` per data record. Blank lines are skipped; rows with
 * fewer or more cells than the header are tolerated (missing cells count as empty).
 * Throws CsvFormatError for an empty file or malformed CSV (e.g. an unclosed quote).
 */
export async function* readCsvRecords(
  input: NodeJS.ReadableStream,
  object: ImportObject,
  overrides?: Record<string, string | null>,
  options: ReadCsvOptions = {},
): AsyncGenerator<CsvImportItem, void, undefined> {
  const tracker = new LineTracker();
  const parser = parse({ ...parseOptions, info: true });
  const done = pipeline(countedChunks(input, tracker, options.onProgress), parser);
  // Failures also surface through the iteration below; this only prevents an unhandled rejection.
  done.catch(() => undefined);

  let header: HeaderMapping | undefined;
  try {
    for await (const parsed of parser as AsyncIterable<ParsedRecord>) {
      const line = tracker.startOfRecordEndingAt(parsed.info.bytes);
      if (header === undefined) {
        header = mapHeaders(object, parsed.record, overrides);
        yield { kind: 'header', ...header };
        continue;
      }
      const values: Record<string, string> = {};
      for (const { column, field } of header.mapping) {
        if (field !== null) values[field] = parsed.record[column] ?? '';
      }
      yield { kind: 'row', line, result: withConsents(validateRow(object, values), header, parsed.record) };
    }
    await done;
  } catch (error) {
    if (error instanceof CsvError) {
      const lines: unknown = (error as CsvError & { lines?: unknown }).lines;
      throw new CsvFormatError(error.code, typeof lines === 'number' ? lines : undefined);
    }
    throw error;
  }
  if (header === undefined) throw new CsvFormatError('CSV_NO_HEADER', undefined);
}
