import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor, Transaction } from '../db/connection.ts';
import { newId } from '../db/ids.ts';
import { lookupTokens, visitors } from '../db/schema/index.ts';
import type { AccessContext } from './accessContext.ts';

/*
 * Pseudonymous visitor profiles. A visitor's anonymous id (a browser cookie id) is a
 * personal identifier, so it lives only in visitors.personal and as a lookup token
 * (object 'visitor', field 'anonymous_id'); this file is the only code that touches them.
 * When a visitor is merged into a contact its token moves to the contact (object
 * 'contact', field 'anonymous_id'), so later events for the same cookie reach the contact
 * and the contact's erasure removes the token with the contact's other tokens.
 */

export const anonymousIdField = 'anonymous_id';

type VisitorPersonal = { anonymousId?: string };

export type VisitorRecord = {
  id: string;
  /** Personal: the browser's anonymous id. */
  anonymousId: string | null;
  mergedIntoContactId: string | null;
  firstSeenAt: Date;
  lastSeenAt: Date;
  createdAt: Date;
};

/** When an anonymous id was seen in one batch. */
export type AnonymousSighting = { anonymousId: string; firstSeenAt: string; lastSeenAt: string };

/** Where an anonymous id's events go: its visitor, or the contact it was merged into. */
export type AnonymousSubject = { visitorId: string; contactId: null } | { visitorId: null; contactId: string };

export type ResolvedAnonymousIds = { subjects: Map<string, AnonymousSubject>; createdVisitorIds: string[] };

/**
 * Serialises visitor creation and merging within a workspace, so two batches carrying the
 * same new anonymous id create one visitor, and a batch cannot add events to a visitor
 * that a concurrent merge is moving. Held until the transaction ends.
 */
async function lockVisitors(tx: Transaction, tenantId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`visitors:${tenantId}`}, 0))`);
}

/**
 * Finds the subject of every anonymous id set-wise — one lookup for all of them, one
 * insert of the new visitors and one of their tokens — creating a visitor profile for each
 * id seen for the first time. Known visitors are not updated: while a visitor is live its
 * first/last-seen times are read from its events (readVisitor), which saves an UPDATE of
 * thousands of rows per batch; a merge freezes them into the row.
 */
export async function resolveAnonymousIds(tx: Transaction, ctx: AccessContext, sightings: AnonymousSighting[]): Promise<ResolvedAnonymousIds> {
  const subjects = new Map<string, AnonymousSubject>();
  if (sightings.length === 0) return { subjects, createdVisitorIds: [] };
  await lockVisitors(tx, ctx.tenantId);
  const tokens = sightings.map((sighting) => sighting.anonymousId);
  // Joined to the wanted tokens so each is one primary-key probe, whatever the table's size
  // (a plain "token = any(…)" filter let the planner scan every token of the workspace).
  const result = await tx.execute(sql`
    select t.object, t.token, t.record_id as "recordId"
      from unnest(${sql.param(tokens)}::text[]) as wanted(token)
      join lookup_tokens t on t.tenant_id = ${ctx.tenantId} and t.object in ('contact', 'visitor')
                          and t.field = ${anonymousIdField} and t.token = wanted.token`);
  const found = (result as unknown as { rows: Array<{ object: string; token: string; recordId: string }> }).rows;
  for (const row of found) {
    // A merged visitor's token points at the contact; the contact wins over any stray visitor.
    if (row.object === 'contact') subjects.set(row.token, { visitorId: null, contactId: row.recordId });
    else if (!subjects.has(row.token)) subjects.set(row.token, { visitorId: row.recordId, contactId: null });
  }

  const fresh = sightings.filter((sighting) => !subjects.has(sighting.anonymousId));
  if (fresh.length === 0) return { subjects, createdVisitorIds: [] };
  const ids = fresh.map(() => newId());
  await tx.execute(sql`
    insert into visitors (tenant_id, id, personal, first_seen_at, last_seen_at)
    select ${ctx.tenantId}, s.id, s.personal, s.first_seen_at, s.last_seen_at
      from unnest(${sql.param(ids)}::uuid[],
                  ${sql.param(fresh.map((sighting) => JSON.stringify({ anonymousId: sighting.anonymousId } satisfies VisitorPersonal)))}::jsonb[],
                  ${sql.param(fresh.map((sighting) => sighting.firstSeenAt))}::timestamptz[],
                  ${sql.param(fresh.map((sighting) => sighting.lastSeenAt))}::timestamptz[]) as s(id, personal, first_seen_at, last_seen_at)`);
  await tx.execute(sql`
    insert into lookup_tokens (tenant_id, object, field, token, record_id)
    select ${ctx.tenantId}, 'visitor', ${anonymousIdField}, s.token, s.id
      from unnest(${sql.param(fresh.map((sighting) => sighting.anonymousId))}::text[], ${sql.param(ids)}::uuid[]) as s(token, id)
    on conflict do nothing`);
  fresh.forEach((sighting, position) => subjects.set(sighting.anonymousId, { visitorId: ids[position], contactId: null }));
  return { subjects, createdVisitorIds: ids };
}

const eventTimes = (aggregate: 'min' | 'max') =>
  sql`(select ${sql.raw(aggregate)}(e.occurred_at) from events e where e.tenant_id = ${visitors.tenantId} and e.visitor_id = ${visitors.id})`;

export async function readVisitor(executor: Executor, ctx: AccessContext, visitorId: string): Promise<VisitorRecord | null> {
  const [row] = await executor
    .select({
      id: visitors.id,
      personal: visitors.personal,
      mergedIntoContactId: visitors.mergedIntoContactId,
      firstSeenAt: sql`least(${visitors.firstSeenAt}, ${eventTimes('min')})`.mapWith(visitors.firstSeenAt),
      lastSeenAt: sql`greatest(${visitors.lastSeenAt}, ${eventTimes('max')})`.mapWith(visitors.lastSeenAt),
      createdAt: visitors.createdAt,
    })
    .from(visitors)
    .where(and(eq(visitors.tenantId, ctx.tenantId), eq(visitors.id, visitorId)))
    .limit(1);
  if (!row) return null;
  const personal = row.personal as VisitorPersonal;
  return {
    id: row.id,
    anonymousId: typeof personal.anonymousId === 'string' ? personal.anonymousId : null,
    mergedIntoContactId: row.mergedIntoContactId,
    firstSeenAt: row.firstSeenAt,
    lastSeenAt: row.lastSeenAt,
    createdAt: row.createdAt,
  };
}

export type MarkMergedOutcome = 'merged' | 'not_found' | 'already_merged';

/**
 * Marks the visitor as merged into the contact, freezing its first/last-seen times, and
 * moves its anonymous-id token to the contact. The caller moves the events and records the change in the same transaction.
 */
export async function markVisitorMerged(tx: Transaction, ctx: AccessContext, visitorId: string, contactId: string): Promise<MarkMergedOutcome> {
  await lockVisitors(tx, ctx.tenantId);
  const updated = await tx
    .update(visitors)
    // Its events are about to move to the contact: keep when the visitor was seen in the row.
    .set({
      mergedIntoContactId: contactId,
      firstSeenAt: sql`least(${visitors.firstSeenAt}, ${eventTimes('min')})`,
      lastSeenAt: sql`greatest(${visitors.lastSeenAt}, ${eventTimes('max')})`,
    })
    .where(and(eq(visitors.tenantId, ctx.tenantId), eq(visitors.id, visitorId), isNull(visitors.mergedIntoContactId)))
    .returning({ id: visitors.id });
  if (updated.length === 0) {
    const [existing] = await tx
      .select({ id: visitors.id })
      .from(visitors)
      .where(and(eq(visitors.tenantId, ctx.tenantId), eq(visitors.id, visitorId)))
      .limit(1);
    return existing ? 'already_merged' : 'not_found';
  }
  const moved = await tx
    .delete(lookupTokens)
    .where(and(eq(lookupTokens.tenantId, ctx.tenantId), eq(lookupTokens.object, 'visitor'), eq(lookupTokens.recordId, visitorId)))
    .returning({ field: lookupTokens.field, token: lookupTokens.token });
  const anonymousTokens = moved.filter((token) => token.field === anonymousIdField);
  if (anonymousTokens.length > 0) {
    await tx
      .insert(lookupTokens)
      .values(anonymousTokens.map((token) => ({ tenantId: ctx.tenantId, object: 'contact', field: anonymousIdField, token: token.token, recordId: contactId })))
      .onConflictDoNothing();
  }
  return 'merged';
}

/**
 * For the contact's deletion (its owner calls this first): removes the visitor profiles
 * merged into the contact, which would otherwise block the delete by foreign key and keep
 * the contact's anonymous ids. Returns their ids for the audit.
 */
export async function deleteVisitorsMergedInto(tx: Transaction, ctx: AccessContext, contactId: string): Promise<string[]> {
  const deleted = await tx
    .delete(visitors)
    .where(and(eq(visitors.tenantId, ctx.tenantId), eq(visitors.mergedIntoContactId, contactId)))
    .returning({ id: visitors.id });
  const ids = deleted.map((row) => row.id);
  if (ids.length > 0) {
    await tx.delete(lookupTokens).where(and(eq(lookupTokens.tenantId, ctx.tenantId), eq(lookupTokens.object, 'visitor'), inArray(lookupTokens.recordId, ids)));
  }
  return ids;
}

/** Whether the visitor exists in this workspace, without reading its personal values. */
export async function visitorExists(executor: Executor, ctx: AccessContext, visitorId: string): Promise<boolean> {
  const [row] = await executor
    .select({ id: visitors.id })
    .from(visitors)
    .where(and(eq(visitors.tenantId, ctx.tenantId), eq(visitors.id, visitorId)))
    .limit(1);
  return row !== undefined;
}
