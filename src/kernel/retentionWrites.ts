import { sql } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { selectRows } from '../db/rows.ts';
import type { PurposeContext } from './accessContext.ts';
import { objectPolicy } from './callPolicy.ts';
import { eraseSubjects } from './subjectErasure.ts';
import { deleteVisitors } from './visitorRecords.ts';

/*
 * The kernel's half of the retention sweep (src/privacy/retention/): the writers that remove
 * personal data once no purpose justifies keeping it. Erasure itself is the kernel's
 * deletePermittedContacts / deleteVisitors (or the erasure path built on them); these are
 * the two the sweep adds: anonymising contacts the privacy officer chose to keep as
 * anonymous records, and expiring events older than their purpose's period.
 */

const uuidArray = (values: readonly string[]) => sql`${sql.param([...values])}::uuid[]`;

/**
 * Anonymises contacts: every personal value goes (their values, lookup tokens, the sealed
 * properties of their events, the visitor profiles merged into them, their links to
 * activities), their audit index rows and keys are erased as in an erasure, and the record
 * stays with its non-personal columns (stage, source, company, owner, deals and purchases
 * linked to it) marked anonymised_at, for counts that no longer name anyone. Contacts
 * already anonymised are skipped. Returns the ids anonymised now.
 */
export async function anonymiseContacts(tx: Executor, ctx: PurposeContext, contactIds: readonly string[]): Promise<string[]> {
  if (contactIds.length === 0) return [];
  await objectPolicy(tx, ctx, 'contact', 'contact.anonymised');
  const tenant = ctx.tenantId;
  const chosen = await selectRows<{ id: string }>(
    tx,
    sql`select id from contacts where tenant_id = ${tenant} and id = any(${uuidArray(contactIds)}) and anonymised_at is null for update`,
  );
  const ids = chosen.map((row) => row.id);
  if (ids.length === 0) return [];
  const subjects = uuidArray(ids);
  const now = new Date().toISOString();
  await tx.execute(sql`delete from lookup_tokens where tenant_id = ${tenant} and object = 'contact' and record_id = any(${subjects})`);
  await tx.execute(sql`update events set properties = '{}'::jsonb where tenant_id = ${tenant} and contact_id = any(${subjects})`);
  const merged = await selectRows<{ id: string }>(tx, sql`select id from visitors where tenant_id = ${tenant} and merged_into_contact_id = any(${subjects})`);
  await deleteVisitors(
    tx,
    ctx,
    merged.map((row) => row.id),
  );
  await tx.execute(sql`delete from activity_links where tenant_id = ${tenant} and object = 'contact' and record_id = any(${subjects})`);
  await tx.execute(sql`
    update contacts set personal = '{}'::jsonb, external_id_index = null, anonymised_at = ${now}::timestamptz,
           updated_at = ${now}::timestamptz, version = version + 1
     where tenant_id = ${tenant} and id = any(${subjects})`);
  await eraseSubjects(tx, ctx, ids);
  return ids;
}

// The events before the cutoff, except those of the subjects kept (under a legal hold).
const expiring = (tenantId: string, before: Date, keep: readonly string[]) =>
  sql`tenant_id = ${tenantId} and occurred_at < ${before.toISOString()}::timestamptz
      and not (coalesce(contact_id, visitor_id) = any(${uuidArray(keep)}))`;

/**
 * Deletes the workspace's events that occurred before `before` (their purpose's period is
 * over), except those of the subjects in `keep` (legal holds); returns how many.
 */
export async function expireEvents(tx: Executor, ctx: PurposeContext, before: Date, keep: readonly string[] = []): Promise<number> {
  await objectPolicy(tx, ctx, 'event', 'event.expired');
  const [row] = await selectRows<{ expired: number }>(
    tx,
    sql`with gone as (delete from events where ${expiring(ctx.tenantId, before, keep)} returning 1) select count(*)::int as expired from gone`,
  );
  return row?.expired ?? 0;
}

/** How many events expireEvents would delete. */
export async function countEventsBefore(executor: Executor, tenantId: string, before: Date, keep: readonly string[] = []): Promise<number> {
  const [row] = await selectRows<{ count: number }>(executor, sql`select count(*)::int as count from events where ${expiring(tenantId, before, keep)}`);
  return row?.count ?? 0;
}
