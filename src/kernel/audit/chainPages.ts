import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { canonicalJson, entryHash, quoted, sha256Hex } from './canonical.ts';
import { selectRows } from '../../db/rows.ts';
import { chainedFieldsOf, entryColumns, type AuditEntryRow } from './entry.ts';

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

const packedColumns = 17;
// Nullable columns carry a tag, so NULL and any string stay distinct: 's' + value or 'n'.
const packedEntry = sql.raw(`coalesce(
  e.sequence::text || E'\\x1f' ||
  to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || E'\\x1f' ||
  e.actor_type || E'\\x1f' || e.actor_id || E'\\x1f' || coalesce('s' || e.purpose, 'n') || E'\\x1f' ||
  e.action || E'\\x1f' || coalesce('s' || e.object, 'n') || E'\\x1f' ||
  e.record_ids::text || E'\\x1f' || e.fields::text || E'\\x1f' || e.decision || E'\\x1f' ||
  e.reasons::text || E'\\x1f' || e.subject_pseudonyms::text || E'\\x1f' || e.detail::text || E'\\x1f' ||
  e.previous_hash || E'\\x1f' || e.hash || E'\\x1f' || e.version::text || E'\\x1f' || e.erased_pseudonyms::text, E'\\x15')`);

/**
 * Entries after `after` up to and including `through`, packed into one text value. The
 * entries are aggregated from a subquery in sequence order (the primary key's order, so no
 * sort: an ORDER BY inside string_agg sorts the packed text, which PostgreSQL 15 does even
 * though the index already yields it in order — on disk once a page outgrows work_mem).
 * PostgreSQL keeps a sorted subquery's order in practice but does not promise it, so
 * visitPackedPage checks the order and reads the page row by row if it ever differs.
 */
export async function readPackedPage(db: Executor, tenantId: string, after: number, through: number): Promise<PackedPage> {
  const [row] = await selectRows<{ packed: string | null; entries: number | string }>(
    db,
    sql`select string_agg(p.packed, E'\\x1e') as packed, count(*) as entries
                   from (select ${packedEntry} as packed from audit_entries e
                         where e.tenant_id = ${tenantId} and e.sequence > ${after} and e.sequence <= ${through}
                         order by e.sequence) as p`,
  );
  return { after, through, packed: row?.packed ?? null, entries: Number(row?.entries ?? 0) };
}

/** Whether the packed entries come in increasing sequence order (each starts with its sequence). */
function inSequenceOrder(entries: string[]): boolean {
  let previous = -Infinity;
  for (const entry of entries) {
    const sequence = Number(entry.slice(0, entry.indexOf('\u001f')));
    if (!(sequence > previous)) return false;
    previous = sequence;
  }
  return true;
}

// Characters a JSON string must escape (plus surrogates), and the separators.
const unsafeInArray = /["\\\u0000-\u001f\ud800-\udfff]/;
const nullElement = /(?:^|,)null(?:,|$)/i;

/**
 * A one-dimensional text[] or uuid[] in PostgreSQL's output form, written as the JSON array
 * the row path writes after the driver has parsed it; null when an element is quoted or
 * NULL or needs escaping, which the row path handles. Unquoted elements never hold quotes,
 * backslashes, braces, commas or white space.
 */
function jsonArray(literal: string): string | null {
  if (literal === '{}') return '[]';
  if (literal.charCodeAt(0) !== 0x7b || literal.charCodeAt(literal.length - 1) !== 0x7d || unsafeInArray.test(literal)) return null;
  const items = literal.slice(1, -1);
  if (items.includes('{') || nullElement.test(items)) return null;
  return `["${items.replaceAll(',', '","')}"]`;
}

// Nullable columns carry a tag: 'n' for NULL, 's' + value otherwise.
const taggedJson = (value: string): string | null => (value === 'n' ? 'null' : value.charCodeAt(0) === 0x73 ? quoted(value.slice(1)) : null);
// jsonb's output is JSON; both drivers decode jsonb with JSON.parse, as here.
const canonicalJsonb = (text: string) => canonicalJson(JSON.parse(text));

/**
 * The entry's canonical encoding, written straight from its packed columns: the bytes
 * encodeChainedFields writes for the fields the row path decodes (chainPages.test.ts holds
 * the two paths equal). Null when the row path must decode the entry.
 */
function packedEncoding(columns: string[], tenantJson: string): string | null {
  const version = columns[15];
  if (version !== '1' && version !== '2') return null;
  const recordIds = jsonArray(columns[7]);
  const fields = jsonArray(columns[8]);
  const subjectPseudonyms = jsonArray(columns[11]);
  // Version 1 has no erased pseudonyms in its encoding (the column holds '{}' for it).
  const erasedPseudonyms = version === '1' ? '' : jsonArray(columns[16]);
  const purpose = taggedJson(columns[4]);
  const object = taggedJson(columns[6]);
  if (recordIds === null || fields === null || subjectPseudonyms === null || erasedPseudonyms === null || purpose === null || object === null) return null;
  return (
    `{"action":${quoted(columns[5])}` +
    `,"actorId":${quoted(columns[3])}` +
    `,"actorType":${quoted(columns[2])}` +
    `,"decision":${quoted(columns[9])}` +
    `,"detail":${canonicalJsonb(columns[12])}` +
    (version === '1' ? '' : `,"erasedPseudonyms":${erasedPseudonyms}`) +
    `,"fields":${fields}` +
    `,"object":${object}` +
    `,"occurredAt":${quoted(columns[1])}` +
    `,"previousHash":${quoted(columns[13])}` +
    `,"purpose":${purpose}` +
    `,"reasons":${columns[10] === '[]' ? '[]' : canonicalJsonb(columns[10])}` +
    `,"recordIds":${recordIds}` +
    `,"sequence":${canonicalJson(Number(columns[0]))}` +
    `,"subjectPseudonyms":${subjectPseudonyms}` +
    `,"tenantId":${tenantJson}` +
    `,"v":${version}}`
  );
}

/**
 * Visits the page's entries; returns the last sequence visited when the rest of the page
 * must be read row by row (page.through when the whole page was visited).
 * `tenantId` is the workspace id in the database's own text form.
 */
export function visitPackedPage(page: PackedPage, tenantId: string, visit: VisitEntry): number {
  if (page.entries === 0) return page.through;
  const entries = page.packed === null ? [] : page.packed.split('\u001e');
  if (entries.length !== page.entries || !inSequenceOrder(entries)) return page.after;
  const tenantJson = quoted(tenantId);
  let visited = page.after;
  for (const entry of entries) {
    const columns = entry.split('\u001f');
    const encoding = columns.length === packedColumns ? packedEncoding(columns, tenantJson) : null;
    if (encoding === null) return visited;
    const sequence = Number(columns[0]);
    visit(sequence, sha256Hex(encoding), columns[14], columns[13]);
    visited = sequence;
  }
  return page.through;
}

/** The row-by-row path: entries after `after` up to `through`, decoded by the driver. */
export async function visitRows(db: Executor, tenantId: string, after: number, through: number, visit: VisitEntry): Promise<void> {
  const rows = await selectRows<AuditEntryRow>(
    db,
    sql`select ${entryColumns('e')} from audit_entries e
                   where e.tenant_id = ${tenantId} and e.sequence > ${after} and e.sequence <= ${through}
                   order by e.sequence`,
  );
  for (const row of rows) visit(Number(row.sequence), entryHash(chainedFieldsOf(row)), row.hash, row.previous_hash);
}
