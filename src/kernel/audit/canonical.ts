import { hash } from 'node:crypto';
import type { AuditReason } from '../../db/schema/audit.ts';

/**
 * The hashed content of one audit entry, exactly as it is stored (and read back). The entry's
 * hash is SHA-256 over the canonical JSON of these fields, with `version` written as `v`:
 *
 *   hash = hex(SHA-256(UTF-8(canonicalJson({ v: version, ...ChainedFields without version }))))
 *
 * canonicalJson is RFC 8785 (JCS) for the values Candor stores: object keys sorted by UTF-16
 * code units, no whitespace, strings and numbers as ECMAScript JSON.stringify writes them,
 * keys whose value is undefined left out. `occurredAt` is the ISO-8601 UTC string at
 * millisecond precision (the column refuses sub-millisecond values), uuids are lower case,
 * `previousHash` is the predecessor's hash (64 zeros for the first entry of a workspace).
 *
 * Versions: 1 — subject pseudonyms keyed by one workspace key; no `erasedPseudonyms` key in
 * the encoding. 2 — per-subject pseudonyms (pseudonyms.ts) and `erasedPseudonyms`, the
 * pseudonyms whose subject index rows the entry's erasure removed (always present, [] for
 * most entries). New entries are version 2; version 1 entries verify as they were written.
 */
export type ChainedFields = {
  version: EncodingVersion;
  tenantId: string;
  sequence: number;
  occurredAt: string;
  actorType: string;
  actorId: string;
  purpose: string | null;
  action: string;
  object: string | null;
  recordIds: string[];
  fields: string[];
  decision: 'allow' | 'deny' | 'partial';
  reasons: AuditReason[];
  subjectPseudonyms: string[];
  /** Always [] in version 1. */
  erasedPseudonyms: string[];
  detail: Record<string, unknown>;
  previousHash: string;
};

export type EncodingVersion = 1 | 2;

/** The version new entries are written in. */
export const encodingVersion: EncodingVersion = 2;
export const genesisHash = '0'.repeat(64);

// JSON.stringify of a string, without the call where nothing needs escaping (verification
// quotes a dozen strings per entry). Surrogates go the slow way: lone ones are escaped.
const needsEscaping = /["\\\u0000-\u001f\ud800-\udfff]/;
export const quoted = (value: string): string => (needsEscaping.test(value) ? JSON.stringify(value) : `"${value}"`);

function stringList(values: readonly string[]): string {
  if (values.length === 0) return '[]';
  let out = `[${quoted(values[0])}`;
  for (let index = 1; index < values.length; index += 1) out += `,${quoted(values[index])}`;
  return `${out}]`;
}

/** RFC 8785 canonical JSON of a JSON value (throws on values JSON cannot carry). */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return quoted(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonical JSON cannot carry NaN or Infinity');
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let index = 0; index < value.length; index += 1)
          out += `${index === 0 ? '' : ','}${value[index] === undefined ? 'null' : canonicalJson(value[index])}`;
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      // Default sort order is by UTF-16 code units, as RFC 8785 requires.
      const keys = Object.keys(record);
      if (keys.length > 1) keys.sort();
      let out = '{';
      for (const key of keys) {
        const item = record[key];
        if (item === undefined) continue;
        out += `${out.length === 1 ? '' : ','}${quoted(key)}:${canonicalJson(item)}`;
      }
      return `${out}}`;
    }
    default:
      throw new TypeError(`canonical JSON cannot carry a ${typeof value}`);
  }
}

/**
 * canonicalJson of the entry (see ChainedFields) written out with the keys already in sorted
 * order — verification runs this for every entry, so it avoids sorting the top level each
 * time. A unit test holds it equal to the generic encoder, and both to a plain reference
 * encoder, for both versions.
 */
export function encodeChainedFields(fields: ChainedFields): string {
  return (
    `{"action":${quoted(fields.action)}` +
    `,"actorId":${quoted(fields.actorId)}` +
    `,"actorType":${quoted(fields.actorType)}` +
    `,"decision":${quoted(fields.decision)}` +
    `,"detail":${canonicalJson(fields.detail)}` +
    (fields.version === 1 ? '' : `,"erasedPseudonyms":${stringList(fields.erasedPseudonyms)}`) +
    `,"fields":${stringList(fields.fields)}` +
    `,"object":${fields.object === null ? 'null' : quoted(fields.object)}` +
    `,"occurredAt":${quoted(fields.occurredAt)}` +
    `,"previousHash":${quoted(fields.previousHash)}` +
    `,"purpose":${fields.purpose === null ? 'null' : quoted(fields.purpose)}` +
    `,"reasons":${fields.reasons.length === 0 ? '[]' : canonicalJson(fields.reasons)}` +
    `,"recordIds":${stringList(fields.recordIds)}` +
    `,"sequence":${canonicalJson(fields.sequence)}` +
    `,"subjectPseudonyms":${stringList(fields.subjectPseudonyms)}` +
    `,"tenantId":${quoted(fields.tenantId)}` +
    `,"v":${fields.version}}`
  );
}

/** The object canonicalJson encodes for an entry: `version` as `v`, `erasedPseudonyms` only from version 2. */
export function canonicalObject(fields: ChainedFields): Record<string, unknown> {
  const { version, erasedPseudonyms, ...rest } = fields;
  return version === 1 ? { ...rest, v: version } : { ...rest, erasedPseudonyms, v: version };
}

/** hex(SHA-256(UTF-8(text))), with the one-shot hash (half the cost of createHash for an entry's few hundred bytes). */
export const sha256Hex = (text: string): string => hash('sha256', text, 'hex');

export function entryHash(fields: ChainedFields): string {
  return sha256Hex(encodeChainedFields(fields));
}
