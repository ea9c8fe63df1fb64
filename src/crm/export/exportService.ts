import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Database } from '../../db/connection.ts';
import { appendAudit, requirePurpose, type AccessContext } from '../../kernel/index.ts';
import type { ImportObject } from '../import/columnMapping.ts';
import { exportCompanyRows, exportContactRows, exportFields, type ExportRow } from './exportRecords.ts';

export type ExportFormat = 'csv' | 'json';
export const exportFormats: readonly ExportFormat[] = ['csv', 'json'];

export type StartedExport = {
  fields: readonly string[];
  contentType: string;
  /** The file, produced page by page as it is read. */
  body: Readable;
  /** Rows written so far (the total once `body` has ended). */
  rowsWritten(): number;
};

/** JSON array, one record per line, so large exports stay readable and streamable. */
async function* jsonChunks(rows: AsyncIterable<ExportRow>): AsyncGenerator<string> {
  let first = true;
  yield '[';
  for await (const row of rows) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify(row)}`;
    first = false;
  }
  yield first ? ']\n' : '\n]\n';
}

/**
 * Starts an export of every contact or company of the workspace. It is audited before the
 * first byte leaves (action "export", the field names, the format — never values), so an
 * export that is interrupted half-way is on record too.
 */
export async function startExport(database: Database, ctx: AccessContext, request: { object: ImportObject; format: ExportFormat }): Promise<StartedExport> {
  const fields = exportFields[request.object];
  // Contacts are personal data: their export names its purpose before anything is audited.
  const contactCtx = request.object === 'contact' ? requirePurpose(ctx) : null;
  await database.db.transaction((tx) =>
    appendAudit(tx, ctx, { action: 'export', object: request.object, fields: [...fields], detail: { format: request.format } }),
  );
  let written = 0;
  const source = contactCtx ? exportContactRows(database, contactCtx) : exportCompanyRows(database, ctx);
  const counted = (async function* () {
    for await (const row of source) {
      written += 1;
      yield row;
    }
  })();
  let body: Readable;
  if (request.format === 'csv') {
    const csv = stringify({ header: true, columns: [...fields] });
    // pipeline destroys the stringifier with the error when reading a page fails, so the
    // reader of `body` sees the failure instead of a silently truncated file.
    pipeline(Readable.from(counted), csv).catch(() => undefined);
    body = csv;
  } else {
    body = Readable.from(jsonChunks(counted));
  }
  return {
    fields,
    contentType: request.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    body,
    rowsWritten: () => written,
  };
}
