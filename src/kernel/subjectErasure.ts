import type { Executor } from '../db/connection.ts';
import type { AccessContext } from './accessContext.ts';
import { eraseSubjectTrails } from './audit/index.ts';
import { shredSubjects, type ShredResult } from './vault/index.ts';
import { noteSubjectErasure } from './freshSubjects.ts';

/**
 * Erases data subjects in the caller's transaction, after their rows are gone: first the
 * audit index rows of their pseudonyms (recorded by an erasure entry; the pseudonyms are
 * derived from the subjects' keys, so this must come first), then their keys
 * (crypto-shredding, counted toward the next epoch advance). Afterwards their ids map to no
 * pseudonym and find no audit entry; once the epoch advances, not even in a copy of the
 * database taken before.
 */
export async function eraseSubjects(tx: Executor, ctx: AccessContext, subjectIds: readonly string[]): Promise<ShredResult> {
  if (subjectIds.length === 0) return { deletedKeys: 0 };
  noteSubjectErasure();
  await eraseSubjectTrails(tx, ctx, subjectIds);
  return shredSubjects(tx, ctx.tenantId, subjectIds);
}
