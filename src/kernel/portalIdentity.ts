import { sql } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { selectRows } from '../db/rows.ts';
import { invalid } from '../shared/domainError.ts';
import { normalizeEmail } from '../shared/normalize.ts';
import type { PurposeContext } from './accessContext.ts';
import { assertFieldsPermitted, contactPolicy } from './contactAccess.ts';
import { findContactIdsByLookup } from './contactLookups.ts';
import { kernelKeyStore } from './runtime.ts';
import { deleteSubjectKeys, ensureSubjectKeys, openValue, sealValue, unwrapSubjectKeys } from './vault/index.ts';

/*
 * The address a person signs in to the privacy portal with is personal data like any other:
 * it is sealed here, AES-256-GCM under a fresh data key whose subject id is the sign-in id
 * (wrapped under the workspace's epoch like every data key), into portal_sign_ins. The
 * sign-in's own key, not a contact's: the address may be nobody's, and the sign-in lives
 * minutes. Forgetting a sign-in deletes its key with its row (forgetPortalSignIns). The
 * same work whether or not anyone holds the address: nothing here looks it up.
 */

const emailField = 'portal_sign_in.email';

async function checkedPolicy(tx: Executor, ctx: PurposeContext, action: string): Promise<void> {
  assertFieldsPermitted(await contactPolicy(tx, ctx, action), ['email']);
}

/** The normalised address (422 naming `email` when it is none), sealed under the sign-in's fresh key. */
export async function sealPortalEmail(tx: Executor, ctx: PurposeContext, signInId: string, email: string): Promise<{ email: string; sealed: string }> {
  const normalized = normalizeEmail(email);
  if (normalized === null) throw invalid('email', 'is not an e-mail address');
  await checkedPolicy(tx, ctx, 'portal.sign_in_sealed');
  const keys = (await ensureSubjectKeys(tx, kernelKeyStore(), ctx.tenantId, [signInId], undefined, { fresh: true })).get(signInId)!;
  return { email: normalized, sealed: sealValue(keys, emailField, normalized) };
}

/** The address of a sign-in, or null when its key is gone. */
export async function openPortalEmail(tx: Executor, ctx: PurposeContext, signInId: string): Promise<string | null> {
  await checkedPolicy(tx, ctx, 'portal.sign_in_opened');
  const [row] = await selectRows<{ sealed_email: string }>(
    tx,
    sql`select sealed_email from portal_sign_ins where tenant_id = ${ctx.tenantId} and id = ${signInId}`,
  );
  if (!row) return null;
  const keys = (await unwrapSubjectKeys(tx, kernelKeyStore(), ctx.tenantId, [signInId])).get(signInId);
  return keys ? (openValue(keys, emailField, row.sealed_email) as string) : null;
}

/**
 * The contact holding the signed-in address, by its blind index (the oldest when several
 * do), or null: none does, or it is erased (an erased person's session finds no one, even
 * before their record is gone).
 */
export async function matchPortalContact(tx: Executor, ctx: PurposeContext, email: string): Promise<string | null> {
  await checkedPolicy(tx, ctx, 'portal.matched');
  const normalized = normalizeEmail(email);
  if (normalized === null) return null;
  const ids = (await findContactIdsByLookup(tx, ctx, 'email', [normalized])).get(normalized) ?? [];
  if (ids.length === 0) return null;
  const [living] = await selectRows<{ id: string }>(
    tx,
    sql`select c.id from contacts c where c.tenant_id = ${ctx.tenantId} and c.id = any(${sql.param(ids)}::uuid[])
          and not exists (select 1 from erasures e where e.tenant_id = c.tenant_id and e.subject_id = c.id)
        order by c.created_at, c.id limit 1`,
  );
  return living?.id ?? null;
}

/**
 * Deletes sign-ins (their sessions go with them) and their keys: ended, expired or never
 * used. Not counted as erasures (no person's record is erased): copies taken before keep
 * the wrapped key until the next epoch advance. Only the keys of sign-ins it deleted go: an
 * id that is no sign-in (a contact's) loses nothing. Returns how many sign-ins were deleted.
 */
export async function forgetPortalSignIns(tx: Executor, tenantId: string, signInIds: readonly string[]): Promise<number> {
  if (signInIds.length === 0) return 0;
  const deleted = await selectRows<{ id: string }>(
    tx,
    sql`delete from portal_sign_ins where tenant_id = ${tenantId} and id = any(${sql.param([...signInIds])}::uuid[]) returning id`,
  );
  const forgotten = deleted.map((row) => row.id);
  if (forgotten.length === 0) return 0;
  await deleteSubjectKeys(tx, tenantId, forgotten);
  return forgotten.length;
}

/** Forgets every sign-in of any workspace that ended before `before` (expired codes, sessions past their end). */
export async function forgetEndedPortalSignIns(tx: Executor, before: Date): Promise<number> {
  const ended = await selectRows<{ tenant_id: string; id: string }>(
    tx,
    sql`select s.tenant_id, s.id from portal_sign_ins s
        where s.expires_at < ${before.toISOString()}::timestamptz
          and not exists (select 1 from portal_sessions p where p.tenant_id = s.tenant_id and p.sign_in_id = s.id
                          and p.expires_at >= ${before.toISOString()}::timestamptz and p.idle_expires_at >= ${before.toISOString()}::timestamptz)
        limit 1000`,
  );
  let count = 0;
  const byTenant = new Map<string, string[]>();
  for (const row of ended) byTenant.set(row.tenant_id, [...(byTenant.get(row.tenant_id) ?? []), row.id]);
  for (const [tenantId, ids] of byTenant) count += await forgetPortalSignIns(tx, tenantId, ids);
  return count;
}
