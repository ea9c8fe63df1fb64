import { sql, type SQL } from 'drizzle-orm';

/**
 * What a reader of the trail narrows it to; every part given must hold (AND). Times are
 * compared with the entry's occurredAt, `from` inclusive and `to` exclusive, so adjacent
 * windows never list an entry twice.
 */
export type AuditFilter = {
  from?: Date;
  to?: Date;
  /** The actor's id as recorded: a user id, an API key id, or a system actor's name. */
  actor?: string;
  purpose?: string;
  /** An action exactly ("contact.read"), or every action starting with a prefix ("contact."). */
  action?: { exact: string } | { prefix: string };
};

/** Which filter parts are set, by name, for the reader's own audit entry (names only, never the values). */
export function auditFilterNames(filter: AuditFilter): string[] {
  return (['from', 'to', 'actor', 'purpose', 'action'] as const).filter((name) => filter[name] !== undefined);
}

// "Starts with p" is the range [p, p with its last character incremented) in byte order,
// exactly, for the ASCII prefixes the API accepts (machine keys): the form the index
// (tenant_id, action COLLATE "C", sequence) can seek on, which LIKE with a bound pattern
// is not guaranteed to be.
function prefixEnd(prefix: string): string {
  if (!/^[\x20-\x7e]+$/.test(prefix)) throw new Error('An audit action prefix must be printable ASCII.');
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/** The filter as SQL conditions on the entries aliased `e` (an empty list when nothing is filtered). */
export function auditFilterConditions(filter: AuditFilter): SQL[] {
  const conditions: SQL[] = [];
  if (filter.from) conditions.push(sql`e.occurred_at >= ${filter.from.toISOString()}::timestamptz`);
  if (filter.to) conditions.push(sql`e.occurred_at < ${filter.to.toISOString()}::timestamptz`);
  if (filter.actor !== undefined) conditions.push(sql`e.actor_id = ${filter.actor}`);
  if (filter.purpose !== undefined) conditions.push(sql`e.purpose = ${filter.purpose}`);
  const action = filter.action;
  if (action && 'exact' in action) conditions.push(sql`e.action collate "C" = ${action.exact}`);
  if (action && 'prefix' in action) {
    conditions.push(sql`e.action collate "C" >= ${action.prefix} and e.action collate "C" < ${prefixEnd(action.prefix)}`);
  }
  return conditions;
}
