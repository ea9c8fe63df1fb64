import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor, Transaction } from '../db/connection.ts';
import { lookupTokens, visitors } from '../db/schema/index.ts';
import type { PurposeContext } from './accessContext.ts';
import { appendAudit } from './audit.ts';
import { inTransaction } from './audit/head.ts';
import { objectPolicy } from './callPolicy.ts';
import { kernelKeyStore } from './runtime.ts';
import { asSubjectReasons, deniedReasonsColumn, fieldAccess, openOrIntegrityError, WithheldList, type WithheldField } from './trackingAccess.ts';
import { eraseSubjects } from './subjectErasure.ts';
import { anonymousIdField, lockVisitors, type SealedVisitorPersonal } from './anonymousIds.ts';
import { openValue, unwrapSubjectKeys } from './vault/index.ts';

/*
 * Pseudonymous visitor profiles. A visitor's anonymous id (a browser cookie id) is a
 * personal identifier of the visitor (its own data subject): visitors.personal holds it
 * only sealed under the visitor's subject key ({ anonymous_id: sealed }), and lookup_tokens
 * holds only its blind index (object 'visitor', field 'anonymous_id'), which is how tracking
 * calls find the visitor again. This file and anonymousIds.ts (which finds and creates
 * them by anonymous id) are the only code that touches them. When a visitor is merged into a contact its token moves to the contact (object
 * 'contact', field 'anonymous_id'), so later events for the same cookie reach the contact
 * and the contact's erasure removes the token with the contact's other tokens.
 */

export { anonymousIdField, lookUpAnonymousIds, resolveAnonymousIds } from './anonymousIds.ts';
export type { AnonymousSighting, AnonymousSubject, ResolvedAnonymousIds } from './anonymousIds.ts';

export type VisitorRecord = {
  id: string;
  /** Personal: the browser's anonymous id; null when withheld (see the read's `withheld`). */
  anonymousId: string | null;
  mergedIntoContactId: string | null;
  firstSeenAt: Date;
  lastSeenAt: Date;
  createdAt: Date;
};

export type VisitorRead = { visitor: VisitorRecord; withheld: WithheldField[] };

const eventTimes = (aggregate: 'min' | 'max') =>
  sql`(select ${sql.raw(aggregate)}(e.occurred_at) from events e where e.tenant_id = ${visitors.tenantId} and e.visitor_id = ${visitors.id})`;

/**
 * One visitor through the policy: its anonymous id is opened only when the catalog declares
 * it for the purpose and the visitor's basis holds now (for web analytics, a live consent);
 * otherwise it is null and listed in `withheld` with the reason. The subject rules are a
 * column of the query that reads the row. Audited (visitor.read) with the visitor's
 * pseudonym and the field names opened. Null when no such visitor is in the workspace.
 */
export async function readVisitor(executor: Executor, ctx: PurposeContext, visitorId: string): Promise<VisitorRead | null> {
  return inTransaction(executor, async (tx) => {
    const access = await fieldAccess(tx, ctx, 'visitor');
    const [row] = await tx
      .select({
        id: visitors.id,
        personal: visitors.personal,
        mergedIntoContactId: visitors.mergedIntoContactId,
        firstSeenAt: sql`least(${visitors.firstSeenAt}, ${eventTimes('min')})`.mapWith(visitors.firstSeenAt),
        lastSeenAt: sql`greatest(${visitors.lastSeenAt}, ${eventTimes('max')})`.mapWith(visitors.lastSeenAt),
        createdAt: visitors.createdAt,
        denied: deniedReasonsColumn(ctx, access.purpose, new Date(), sql`${visitors.id}`),
      })
      .from(visitors)
      .where(and(eq(visitors.tenantId, ctx.tenantId), eq(visitors.id, visitorId)))
      .limit(1);
    if (!row) return null;
    const withheld = new WithheldList(access.withheld);
    let anonymousId: string | null = null;
    const sealed = (row.personal as SealedVisitorPersonal)[anonymousIdField];
    const denied = asSubjectReasons(row.denied);
    if (access.allowed.has(anonymousIdField) && typeof sealed === 'string') {
      if (denied.length > 0) {
        for (const reason of denied) withheld.add(anonymousIdField, reason);
      } else {
        const keys = (await unwrapSubjectKeys(tx, kernelKeyStore(), ctx.tenantId, [row.id])).get(row.id);
        // No key: the visitor was erased (its key shredded); nothing can be opened.
        if (!keys) withheld.add(anonymousIdField, 'erased');
        else anonymousId = String(openOrIntegrityError('visitor', () => openValue(keys, anonymousIdField, sealed)));
      }
    }
    await appendAudit(tx, ctx, {
      action: 'visitor.read',
      object: 'visitor',
      fields: anonymousId === null ? [] : [anonymousIdField],
      decision: withheld.list.length > 0 ? 'partial' : 'allow',
      reasons: withheld.reasons,
      subjectIds: [row.id],
    });
    return {
      visitor: {
        id: row.id,
        anonymousId,
        mergedIntoContactId: row.mergedIntoContactId,
        firstSeenAt: row.firstSeenAt,
        lastSeenAt: row.lastSeenAt,
        createdAt: row.createdAt,
      },
      withheld: withheld.list,
    };
  });
}

export type MarkMergedOutcome = 'merged' | 'not_found' | 'already_merged';

/**
 * Marks the visitor as merged into the contact, freezing its first/last-seen times, and
 * moves its anonymous-id token (a blind index) to the contact. The caller moves the events
 * and records the change in the same transaction. The sealed anonymous id stays with the
 * visitor row, under the visitor's key.
 */
export async function markVisitorMerged(tx: Transaction, ctx: PurposeContext, visitorId: string, contactId: string): Promise<MarkMergedOutcome> {
  await objectPolicy(tx, ctx, 'visitor', 'visitor.changed');
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
 * Hands the visitor profiles merged into one contact on to another, when the first is merged
 * into the second: the rows and the anonymous-id tokens (blind indexes, bound to no subject)
 * that send later events for their browsers to the contact. Takes the visitors lock first, so
 * a batch that found the old contact by such a token has committed its events before the
 * caller moves them, and a later batch finds the new contact.
 */
export async function moveMergedVisitors(tx: Transaction, ctx: PurposeContext, fromContactId: string, toContactId: string): Promise<void> {
  await objectPolicy(tx, ctx, 'visitor', 'visitor.changed');
  await lockVisitors(tx, ctx.tenantId);
  await tx
    .update(visitors)
    .set({ mergedIntoContactId: toContactId })
    .where(and(eq(visitors.tenantId, ctx.tenantId), eq(visitors.mergedIntoContactId, fromContactId)));
  // Copied, not re-pointed: the old contact's tokens go with it when it is deleted.
  await tx.execute(sql`
    insert into lookup_tokens (tenant_id, object, field, token, record_id)
    select tenant_id, object, field, token, ${toContactId}::uuid from lookup_tokens
     where tenant_id = ${ctx.tenantId} and object = 'contact' and field = ${anonymousIdField} and record_id = ${fromContactId}::uuid
    on conflict do nothing`);
}

/**
 * Removes visitor profiles for good with everything personal of them: their events, their
 * tokens, the rows, their audit index rows and their subject keys (crypto-shredding: a copy of the database taken
 * before still holds only ciphertext, which the next epoch advance makes unopenable).
 * Set-wise; returns the ids deleted, for the caller's audit.
 */
export async function deleteVisitors(tx: Executor, ctx: PurposeContext, visitorIds: readonly string[]): Promise<string[]> {
  if (visitorIds.length === 0) return [];
  await objectPolicy(tx, ctx, 'visitor', 'visitor.changed');
  await lockVisitors(tx, ctx.tenantId);
  const ids = sql`${sql.param([...visitorIds])}::uuid[]`;
  await tx.execute(sql`delete from events where tenant_id = ${ctx.tenantId} and visitor_id = any(${ids})`);
  const deleted = await tx
    .delete(visitors)
    .where(and(eq(visitors.tenantId, ctx.tenantId), sql`${visitors.id} = any(${ids})`))
    .returning({ id: visitors.id });
  const deletedIds = deleted.map((row) => row.id);
  if (deletedIds.length === 0) return [];
  await tx
    .delete(lookupTokens)
    .where(and(eq(lookupTokens.tenantId, ctx.tenantId), eq(lookupTokens.object, 'visitor'), inArray(lookupTokens.recordId, deletedIds)));
  await eraseSubjects(tx, ctx, deletedIds);
  return deletedIds;
}

/** Whether the visitor exists in this workspace, without reading its personal values. */
export async function visitorExists(executor: Executor, ctx: PurposeContext, visitorId: string): Promise<boolean> {
  const [row] = await executor
    .select({ id: visitors.id })
    .from(visitors)
    .where(and(eq(visitors.tenantId, ctx.tenantId), eq(visitors.id, visitorId)))
    .limit(1);
  return row !== undefined;
}
