import { sql } from 'drizzle-orm';
import type { Executor, Transaction } from '../db/connection.ts';
import { newId } from '../db/ids.ts';
import { rowsOf } from '../db/rows.ts';
import type { PurposeContext } from './accessContext.ts';
import { writePolicy } from './callPolicy.ts';
import { rememberCreatedSubjects } from './freshSubjects.ts';
import { kernelKeyStore } from './runtime.ts';
import { blindIndex, currentEpochColumn, epochsSharedLockCall, prepareFreshSubjectKeys, sealValue } from './vault/index.ts';

/*
 * A browser's anonymous id (a cookie id) is a personal identifier of its visitor (its own
 * data subject): visitors.personal holds it only sealed under the visitor's subject key
 * ({ anonymous_id: sealed }), and lookup_tokens only its blind index (object 'visitor',
 * field 'anonymous_id'), which is how tracking calls find the visitor again; once the
 * visitor is merged into a contact the token names the contact (visitorRecords.ts). This
 * file finds the subjects of anonymous ids, creating visitor profiles for new ones.
 */

export const anonymousIdField = 'anonymous_id';

export type SealedVisitorPersonal = { [anonymousIdField]?: string };

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
const visitorsLockCall = (tenantId: string) => sql`pg_advisory_xact_lock(hashtextextended(${`visitors:${tenantId}`}, 0))`;

export async function lockVisitors(tx: Executor, tenantId: string): Promise<void> {
  await tx.execute(sql`select ${visitorsLockCall(tenantId)}`);
}

/**
 * The blind index of each anonymous id (keyed HMAC under the workspace's blind-index key).
 * Cookie ids are compared exactly, so they are not normalised.
 */
async function anonymousIdTokens(tenantId: string, anonymousIds: readonly string[]): Promise<string[]> {
  const key = await kernelKeyStore().blindIndexKey(tenantId);
  return anonymousIds.map((anonymousId) => blindIndex(key, anonymousIdField, anonymousId));
}

type TokenRow = { object: string | null; token: string | null; recordId: string | null; epoch?: number | null };

/**
 * The subjects of the anonymous ids whose tokens these are (same order); ids never seen are
 * absent. One statement, which with `withEpoch` also reads the vault's current epoch (the
 * caller holds the shared epoch lock).
 */
async function subjectsOfTokens(
  tx: Executor,
  tenantId: string,
  tokens: readonly string[],
  anonymousIds: readonly string[],
  withEpoch = false,
): Promise<{ subjects: Map<string, AnonymousSubject>; epoch: number | null }> {
  const subjects = new Map<string, AnonymousSubject>();
  const anonymousIdOf = new Map(tokens.map((token, position) => [token, anonymousIds[position]]));
  // Joined to the wanted tokens so each is one primary-key probe, whatever the table's size
  // (a plain "token = any(…)" filter let the planner scan every token of the workspace).
  const found = sql`unnest(${sql.param([...tokens])}::text[]) as wanted(token)
      join lookup_tokens t on t.tenant_id = ${tenantId} and t.object in ('contact', 'visitor')
                          and t.field = ${anonymousIdField} and t.token = wanted.token`;
  const rows = rowsOf<TokenRow>(
    await tx.execute(
      withEpoch
        ? sql`select t.object, t.token, t.record_id as "recordId", ${currentEpochColumn(tenantId)} as epoch from (select 1) as one left join (${found}) on true`
        : sql`select t.object, t.token, t.record_id as "recordId" from ${found}`,
    ),
  );
  for (const row of rows) {
    const anonymousId = row.token === null ? undefined : anonymousIdOf.get(row.token);
    if (anonymousId === undefined || row.recordId === null) continue;
    // A merged visitor's token points at the contact; the contact wins over any stray visitor.
    if (row.object === 'contact') subjects.set(anonymousId, { visitorId: null, contactId: row.recordId });
    else if (!subjects.has(anonymousId)) subjects.set(anonymousId, { visitorId: row.recordId, contactId: null });
  }
  return { subjects, epoch: rows[0]?.epoch ?? null };
}

/** The subjects of the anonymous ids already known (none is created): for gates that decide before anything is stored. */
export async function lookUpAnonymousIds(tx: Executor, tenantId: string, anonymousIds: readonly string[]): Promise<Map<string, AnonymousSubject>> {
  if (anonymousIds.length === 0) return new Map();
  return (await subjectsOfTokens(tx, tenantId, await anonymousIdTokens(tenantId, anonymousIds), anonymousIds)).subjects;
}

/**
 * Finds the subject of every anonymous id set-wise, creating a visitor profile for each id
 * seen for the first time: one statement takes the visitors lock and the shared epoch lock,
 * one looks up their blind indexes and reads the current epoch, one inserts the new
 * visitors' keys, rows (ids sealed) and tokens. Known visitors are not updated: while a
 * visitor is live its first/last-seen times are read from its events (readVisitor), which
 * saves an UPDATE of thousands of rows per batch; a merge freezes them into the row.
 */
export async function resolveAnonymousIds(tx: Transaction, ctx: PurposeContext, sightings: AnonymousSighting[]): Promise<ResolvedAnonymousIds> {
  if (sightings.length === 0) return { subjects: new Map(), createdVisitorIds: [] };
  // A browser's anonymous id is personal data of the visitor: collected only for a purpose declared for it.
  await writePolicy(tx, ctx, 'visitor', 'visitor.created', [anonymousIdField], { fieldName: () => 'anonymousId' });
  // Both locks at once, in the order every writer takes them (visitors, then epochs): new ids
  // get keys under the current epoch, which the next statement reads under the shared lock.
  await tx.execute(sql`select ${visitorsLockCall(ctx.tenantId)}, ${epochsSharedLockCall(ctx.tenantId)}`);
  const anonymousIds = sightings.map((sighting) => sighting.anonymousId);
  const tokens = await anonymousIdTokens(ctx.tenantId, anonymousIds);
  const { subjects, epoch } = await subjectsOfTokens(tx, ctx.tenantId, tokens, anonymousIds, true);

  const freshPositions = sightings.flatMap((sighting, position) => (subjects.has(sighting.anonymousId) ? [] : [position]));
  if (freshPositions.length === 0) return { subjects, createdVisitorIds: [] };
  const fresh = freshPositions.map((position) => sightings[position]);
  const ids = fresh.map(() => newId());
  // Ids just made: their keys, rows and tokens go in one statement, with no key to look for first.
  const keys = await prepareFreshSubjectKeys(tx, kernelKeyStore(), ctx.tenantId, ids, epoch);
  const personal = fresh.map((sighting, position) =>
    JSON.stringify({ [anonymousIdField]: sealValue(keys.keys.get(ids[position])!, anonymousIdField, sighting.anonymousId) } satisfies SealedVisitorPersonal),
  );
  await tx.execute(sql`
    with made_keys as (${keys.insert}),
    made_visitors as (
      insert into visitors (tenant_id, id, personal, first_seen_at, last_seen_at)
      select ${ctx.tenantId}, s.id, s.personal, s.first_seen_at, s.last_seen_at
        from unnest(${sql.param(ids)}::uuid[], ${sql.param(personal)}::jsonb[],
                    ${sql.param(fresh.map((sighting) => sighting.firstSeenAt))}::timestamptz[],
                    ${sql.param(fresh.map((sighting) => sighting.lastSeenAt))}::timestamptz[]) as s(id, personal, first_seen_at, last_seen_at))
    insert into lookup_tokens (tenant_id, object, field, token, record_id)
    select ${ctx.tenantId}, 'visitor', ${anonymousIdField}, s.token, s.id
      from unnest(${sql.param(freshPositions.map((position) => tokens[position]))}::text[], ${sql.param(ids)}::uuid[]) as s(token, id)
    on conflict do nothing`);
  keys.inserted();
  for (const [position, sighting] of fresh.entries()) subjects.set(sighting.anonymousId, { visitorId: ids[position], contactId: null });
  rememberCreatedSubjects(tx, 'visitor', ids);
  return { subjects, createdVisitorIds: ids };
}
