import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { selectRows } from '../../db/rows.ts';
import type { AccessContext } from '../accessContext.ts';
import { appendChainedRecords } from './append.ts';
import { auditConfiguration } from './configuration.ts';
import { inTransaction } from './head.ts';
import type { AuditKeys } from './keys.ts';
import { legacyPseudonymsOf, pseudonymsOf } from './pseudonyms.ts';

export const trailErasedAction = 'audit.subjects_erased';

/**
 * The audit half of erasing data subjects, in the erasure's transaction and BEFORE their
 * keys are shredded (their pseudonyms are derived from those keys): removes the subject
 * index rows of their pseudonyms — their own, and their version-1 ones where the trail has
 * some — so "who accessed my data" by their id finds nothing, and the history itself stays.
 *
 * The removal is recorded first, by an entry (`audit.subjects_erased`) that names the
 * pseudonyms in erasedPseudonyms: the database lets index rows go only right after such an
 * entry (trigger, migration 0009), and verification expects exactly those rows gone. The
 * entry names only pseudonyms that had index rows, so an erased id's version-1 pseudonym is
 * never written anew. Returns the pseudonyms erased ([] and no entry when there were none).
 */
export async function eraseSubjectTrails(
  executor: Executor,
  ctx: AccessContext,
  subjectIds: readonly string[],
  options: { keys?: AuditKeys | null } = {},
): Promise<string[]> {
  if (subjectIds.length === 0) return [];
  const keys = options.keys === undefined ? auditConfiguration().keys : options.keys;
  const tenantId = ctx.tenantId.toLowerCase();
  return inTransaction(executor, async (tx) => {
    const current = await pseudonymsOf(tx, keys, tenantId, subjectIds, { create: false });
    const legacy = await legacyPseudonymsOf(tx, keys, tenantId, subjectIds);
    const candidates = [...new Set([...current.values(), ...legacy.values()])];
    if (candidates.length === 0) return [];
    const indexed = await selectRows<{ pseudonym: string }>(
      tx,
      sql`select distinct pseudonym from audit_subjects where tenant_id = ${tenantId} and pseudonym = any(${sql.param(candidates)}::text[])`,
    );
    const erased = indexed.map((row) => row.pseudonym).sort();
    if (erased.length === 0) return [];
    // The entry takes the chain head and holds it to commit: every entry naming these
    // pseudonyms before it has committed, so the DELETE below sees all their rows.
    await appendChainedRecords(
      tx,
      ctx,
      [{ record: { action: trailErasedAction, object: 'audit', detail: { pseudonyms: erased.length } }, erasedPseudonyms: erased }],
      { keys },
    );
    await tx.execute(sql`delete from audit_subjects where tenant_id = ${tenantId} and pseudonym = any(${sql.param(erased)}::text[])`);
    return erased;
  });
}
