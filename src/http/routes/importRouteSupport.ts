import { z } from 'zod';
import type { ImportIssue, ImportReport } from '../../crm/import/importBatches.ts';
import { DomainError, invalid } from '../../shared/domainError.ts';
import { unstorableTextReason } from '../../shared/storableText.ts';
import { nameComponent } from '../openapi/components.ts';

// The shapes of the import routes (src/http/routes/imports.ts) and what they read from a
// request besides the file: column overrides and the file's name.

export const importStatuses = ['queued', 'running', 'staged', 'published', 'failed', 'undone'] as const;

const importIssueSchema = z.object({ line: z.number().int(), field: z.string(), reason: z.string() });
const progressSchema = z
  .object({
    rowsProcessed: z.number().int().describe('Data rows read and checked so far'),
    rowsTotal: z.number().int().nullable().describe('Data rows in the file; null until counted (a queued import counts them when its job starts)'),
  })
  .describe('How far the import got: rowsProcessed of rowsTotal');

/** What every import answer shows: state, counts, who and when — never a value from the file. */
const importSummaryShape = {
  id: z.string(),
  object: z.enum(['contact', 'company']),
  status: z
    .enum(importStatuses)
    .describe(
      'queued (waiting for its job), running (rows being read into staging), staged (being published), published, failed (nothing published) or undone',
    ),
  fileName: z.string().nullable().describe('The name the file was sent with (Content-Disposition), if any'),
  createdBy: z.object({ type: z.string(), id: z.string() }).describe('Who sent the file: a user, an API key, or a system actor (the CLI)'),
  mode: z.enum(['create', 'upsert']).describe('upsert: rows matching an existing record updated it'),
  progress: progressSchema,
  totalRows: z.number().int().describe('Data rows read (the header is not counted)'),
  importedRows: z.number().int().describe('Records created'),
  updatedRows: z.number().int().describe('Existing records updated (upsert imports)'),
  invalidRows: z.number().int().describe('Rows skipped (skipInvalid) or, when the import failed, the rows that made it fail'),
  createdAt: z.string(),
  updatedAt: z.string().describe('The last change of state or progress'),
  publishedAt: z.string().nullable(),
  undoneAt: z.string().nullable(),
};
export const importSummarySchema = z.object(importSummaryShape);

export const importReportSchema = z.object({
  ...importSummaryShape,
  issues: z.array(importIssueSchema).describe('Line number, field and reason of each problem — never the value'),
  issuesTruncated: z.boolean(),
  issueSummary: z
    .array(z.object({ field: z.string(), reason: z.string(), rows: z.number().int() }))
    .describe('The issues grouped by field and reason, most rows first (of the issues listed)'),
  unmappedColumns: z.array(z.string()).optional().describe('File columns that match no field and were not imported'),
  consents: z
    .object({
      recorded: z.number().int().describe('Consent ledger events the consent:<purpose> columns recorded (channel import)'),
      expired: z.number().int().describe("Of those, consents given on a date older than their purpose's consent validity: recorded, but already expired"),
      notice: z.string().nullable().describe('Says so when some consents were already expired; null otherwise'),
    })
    .describe("The file's consent columns, published as consent ledger events at each row's consent date"),
  removedContacts: z.number().int().optional(),
  removedCompanies: z.number().int().optional(),
  keptCompanies: z.number().int().optional().describe('Companies the import created that other records now use, so undo kept them'),
  keptUpdated: z
    .number()
    .int()
    .optional()
    .describe('Existing records an upsert import updated: undo keeps them with the values the import wrote (their earlier values are not kept)'),
});
nameComponent(importReportSchema, 'ImportReport');
nameComponent(importSummarySchema, 'ImportSummary');
type ImportReportBody = z.infer<typeof importReportSchema>;
type ImportExtras = Partial<Pick<ImportReportBody, 'unmappedColumns' | 'removedContacts' | 'removedCompanies' | 'keptCompanies' | 'keptUpdated'>>;

export function importSummaryBody(report: ImportReport): z.infer<typeof importSummarySchema> {
  return {
    id: report.id,
    object: report.object,
    status: report.status,
    fileName: report.fileName,
    createdBy: report.createdBy,
    mode: report.mode,
    progress: { rowsProcessed: report.totalRows, rowsTotal: report.rowCount },
    totalRows: report.totalRows,
    importedRows: report.importedRows,
    updatedRows: report.updatedRows,
    invalidRows: report.invalidRows,
    createdAt: report.createdAt.toISOString(),
    updatedAt: report.updatedAt.toISOString(),
    publishedAt: report.publishedAt?.toISOString() ?? null,
    undoneAt: report.undoneAt?.toISOString() ?? null,
  };
}

/** The issues by field and reason, counting the rows each concerns. */
function issueSummaryOf(issues: ImportIssue[]): ImportReportBody['issueSummary'] {
  const lines = new Map<string, Set<number>>();
  for (const issue of issues) {
    const key = JSON.stringify([issue.field, issue.reason]);
    lines.set(key, (lines.get(key) ?? new Set()).add(issue.line));
  }
  return [...lines]
    .map(([key, rows]) => {
      const [field, reason] = JSON.parse(key) as [string, string];
      return { field, reason, rows: rows.size };
    })
    .sort((a, b) => b.rows - a.rows || a.field.localeCompare(b.field));
}

export function importReportBody(report: ImportReport & ImportExtras): ImportReportBody {
  const { unmappedColumns, removedContacts, removedCompanies, keptCompanies, keptUpdated } = report;
  const extras = { unmappedColumns, removedContacts, removedCompanies, keptCompanies, keptUpdated };
  return {
    ...importSummaryBody(report),
    issues: report.issues,
    issuesTruncated: report.issuesTruncated,
    issueSummary: issueSummaryOf(report.issues),
    consents: { ...report.consents, notice: expiredNotice(report.consents.expired) },
    ...Object.fromEntries(Object.entries(extras).filter(([, value]) => value !== undefined)),
  };
}

const expiredNotice = (expired: number): string | null =>
  expired === 0
    ? null
    : `${expired} consent(s) were dated earlier than their purpose's consent validity allows: they are in the consent history, already expired, and do not count. Ask these people again.`;

export function overridesOf(map: string | string[] | undefined): Record<string, string | null> {
  const overrides: Record<string, string | null> = {};
  for (const entry of map === undefined ? [] : Array.isArray(map) ? map : [map]) {
    const at = entry.lastIndexOf('=');
    if (at <= 0)
      throw new DomainError('validation_failed', 'map must be Header=field', [
        { field: 'query.map', reason: 'use Header=field, or Header= to ignore a column' },
      ]);
    const field = entry.slice(at + 1).trim();
    overrides[entry.slice(0, at)] = field === '' ? null : field;
  }
  return overrides;
}

/** A failed import is a 422 problem naming each bad line and field, with the batch id and its report. */
export function importFailed(report: ImportReportBody): DomainError {
  const issues = report.issues.map((issue) => ({ field: `line ${issue.line}: ${issue.field}`, reason: issue.reason }));
  return new DomainError(
    'validation_failed',
    `Nothing was imported: ${report.invalidRows} row(s) are invalid. Fix them, or import again with skipInvalid=true to publish the valid rows.`,
    issues,
    { importId: report.id, import: report },
  );
}

const maxFileNameLength = 255;

/**
 * The file's name from `Content-Disposition: attachment; filename="contacts.csv"` (or
 * RFC 8187's `filename*=UTF-8''…`, which wins), without any directory; null without one.
 * It is shown to everyone who may read the workspace's imports.
 */
export function fileNameOf(header: string | undefined): string | null {
  if (header === undefined) return null;
  const extended = /filename\*\s*=\s*UTF-8''([^;\s]+)/i.exec(header)?.[1];
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(header);
  let name: string | undefined;
  try {
    name = extended !== undefined ? decodeURIComponent(extended) : (plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2]);
  } catch {
    throw invalid('content-disposition', 'filename* is not valid percent-encoded UTF-8');
  }
  if (name === undefined) return null;
  const base = name.split(/[/\\]/).pop()?.trim() ?? '';
  if (base === '') return null;
  const unstorable = unstorableTextReason(base);
  if (unstorable) throw invalid('content-disposition', `the file name ${unstorable}`);
  if (base.length > maxFileNameLength) throw invalid('content-disposition', `the file name is longer than ${maxFileNameLength} characters`);
  return base;
}
