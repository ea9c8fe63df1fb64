import { sql } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { auditEntries } from '../db/schema/index.ts';
import type { AccessContext } from './accessContext.ts';

export type AuditRecord = {
  action: string;
  object?: string;
  recordIds?: string[];
  /** Names of the fields touched, never their values. */
  fields?: string[];
  detail?: Record<string, string | number | boolean | null | string[]>;
};

/**
 * Appends one entry to the workspace's audit trail in the caller's transaction. Sequence
 * numbers are assigned under a per-workspace advisory lock, so they have no gaps.
 */
export async function appendAudit(tx: Executor, ctx: AccessContext, record: AuditRecord): Promise<number> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`audit:${ctx.tenantId}`}, 0))`);
  const [row] = await tx
    .insert(auditEntries)
    .values({
      tenantId: ctx.tenantId,
      sequence: sql`(select coalesce(max(${auditEntries.sequence}), 0) + 1 from ${auditEntries} where ${auditEntries.tenantId} = ${ctx.tenantId})`,
      actorType: ctx.actor.type,
      actorId: ctx.actor.id,
      purpose: ctx.purpose,
      action: record.action,
      object: record.object ?? null,
      recordIds: record.recordIds ?? [],
      fields: record.fields ?? [],
      detail: record.detail ?? {},
    })
    .returning({ sequence: auditEntries.sequence });
  return row.sequence;
}
