import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { entryHash, type ChainedFields } from './canonical.ts';
import { chainedFieldsOf, entryColumns, rowsOf, type AuditEntryRow } from './entry.ts';

/*
 * How verification reads the chain. A page of entries comes back from the database as ONE
 * text value — each entry's columns in their text form, joined by control characters —
 * because both drivers pay far more per row and per column than per byte (PGlite ~40 µs for
 * a 16-column row). The text forms are decoded exactly as the drivers would decode them, so
 * the recomputed hash is the one the row-by-row path computes; where a page holds something
 * this decoder does not handle (a quoted array element, a NULL where none belongs, a
 * separator inside a value), the rest of the page is read row by row instead.
 *
 * Framing: entries are separated by RS (0x1e), columns by US (0x1f). The count of entries
 * is returned beside the text, and each entry must have exactly `packedColumns` columns:
 * with every entry present (a NULL anywhere turns the whole entry into NAK, never drops it),
 * equal counts mean no value holds a separator, so entries and columns map one to one onto
 * rows and columns — a value cannot forge a neighbouring entry.
 */

/** Called for each entry in sequence order with its recomputed hash and its stored hashes. */
export type VisitEntry = (sequence: number, computedHash: string, hash: string, previousHash: string) => void;

export type PackedPage = { after: number; through: number; packed: string | null; entries: number };

const packedColumns = 15;
// Nullable columns carry a tag, so NULL and any string stay distinct: 's' + value or 'n'.
const packedEntry = sql.raw(`coalesce(
  e.sequence::text || E'\\x1f' ||
  to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || E'\\x1f' ||
  e.actor_type || E'\\x1f' || e.actor_id || E'\\x1f' || coalesce('s' || e.purpose, 'n') || E'\\x1f' ||
  e.action || E'\\x1f' || coalesce('s' || e.object, 'n') || E'\\x1f' ||
  e.record_ids::text || E'\\x1f' || e.fields::text || E'\\x1f' || e.decision || E'\\x1f' ||
  e.reasons::text || E'\\x1f' || e.subject_pseudonyms::text || E'\\x1f' || e.detail::text || E'\\x1f' ||
  e.previous_hash || E'\\x1f' || e.hash, E'\\x15')`);

/** Entries after `after` up to and including `through`, packed into one text value. */
export async function readPackedPage(db: Executor, tenantId: string, after: number, through: number): Promise<PackedPage> {
  const [row] = await rowsOf<{ packed: string | null; entries: number | string }>(
    db.execute(sql`select string_agg(${packedEntry}, E'\\x1e' order by e.sequence) as packed, count(*) as entries
                   from audit_entries e
                   where e.tenant_id = ${tenantId} and e.sequence > ${after} and e.sequence <= ${through}`),
  );
  return { after, through, packed: row?.packed ?? null, entries: Number(row?.entries ?? 0) };
}

/**
 * A one-dimensional text[] or uuid[] in PostgreSQL's output form, decoded as the drivers'
 * array parser would; null when an element is quoted (or NULL), which the row path handles.
 * Unquoted elements never hold quotes, backslashes, braces, commas or white space.
 */
function unquotedArray(literal: string): string[] | null {
  if (literal === '{}') return [];
  if (literal.charCodeAt(0) !== 0x7b || literal.charCodeAt(literal.length - 1) !== 0x7d || literal.includes('"')) return null;
  const items = literal.slice(1, -1).split(',');
  for (const item of items) if (item.length === 4 && item.toUpperCase() === 'NULL') return null;
  return items;
}

const tagged = (value: string): string | null | undefined => (value === 'n' ? null : value.charCodeAt(0) === 0x73 ? value.slice(1) : undefined);

function decodeEntry(tenantId: string, columns: string[]): ChainedFields | null {
  const recordIds = unquotedArray(columns[7]);
  const fields = unquotedArray(columns[8]);
  const subjectPseudonyms = unquotedArray(columns[11]);
  const purpose = tagged(columns[4]);
  const object = tagged(columns[6]);
  if (!recordIds || !fields || !subjectPseudonyms || purpose === undefined || object === undefined) return null;
  return {
    tenantId,
    sequence: Number(columns[0]),
    occurredAt: columns[1],
    actorType: columns[2],
    actorId: columns[3],
    purpose,
    action: columns[5],
    object,
    recordIds,
    fields,
    decision: columns[9] as ChainedFields['decision'],
    // jsonb's output is JSON; both drivers decode jsonb with JSON.parse, as here.
    reasons: columns[10] === '[]' ? [] : (JSON.parse(columns[10]) as ChainedFields['reasons']),
    subjectPseudonyms,
    detail: JSON.parse(columns[12]) as Record<string, unknown>,
    previousHash: columns[13],
  };
}

/**
 * Visits the page's entries; returns the last sequence visited when the rest of the page
 * must be read row by row (page.through when the whole page was visited).
 * `tenantId` is the workspace id in the database's own text form.
 */
export function visitPackedPage(page: PackedPage, tenantId: string, visit: VisitEntry): number {
  if (page.entries === 0) return page.through;
  const entries = page.packed === null ? [] : page.packed.split('\u001e');
  if (entries.length !== page.entries) return page.after;
  let visited = page.after;
  for (const entry of entries) {
    const columns = entry.split('\u001f');
    const fields = columns.length === packedColumns ? decodeEntry(tenantId, columns) : null;
    if (!fields) return visited;
    visit(fields.sequence, entryHash(fields), columns[14], fields.previousHash);
    visited = fields.sequence;
  }
  return page.through;
}

/** The row-by-row path: entries after `after` up to `through`, decoded by the driver. */
export async function visitRows(db: Executor, tenantId: string, after: number, through: number, visit: VisitEntry): Promise<void> {
  const rows = await rowsOf<AuditEntryRow>(
    db.execute(sql`select ${entryColumns('e')} from audit_entries e
                   where e.tenant_id = ${tenantId} and e.sequence > ${after} and e.sequence <= ${through}
                   order by e.sequence`),
  );
  for (const row of rows) visit(Number(row.sequence), entryHash(chainedFieldsOf(row)), row.hash, row.previous_hash);
}
