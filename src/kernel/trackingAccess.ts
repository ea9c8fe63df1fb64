import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { DomainError } from '../shared/domainError.ts';
import type { PurposeContext } from './accessContext.ts';
import type { CatalogObject } from './catalog/fieldDeclaration.ts';
import { objectPolicy, type WithheldField } from './callPolicy.ts';
import { subjectReasons, type DenyReason, type SubjectReason } from './policy/decide.ts';
import { subjectReasonConditions } from './policy/permittedSubjects.ts';
import type { PolicyPurpose } from './policy/policyPurpose.ts';
import { VaultDecryptError } from './vault/index.ts';

/*
 * What the visitor, event and activity record files share on their way through the policy:
 * the purpose check and the catalog's column filter (once per kernel call), the subject
 * rules as one SQL column of the query that reads the rows, and how a withheld field and a
 * value that fails to authenticate are reported.
 */

export type { WithheldField } from './callPolicy.ts';

export type FieldAccess = {
  purpose: PolicyPurpose;
  /** Fields of the object the role may use for the purpose. */
  allowed: ReadonlySet<string>;
  /** Declared fields it may not, with each reason. */
  withheld: WithheldField[];
};

/** The call's policy decision (callPolicy.ts) for `object`, as the tracking record files use it. */
export async function fieldAccess(tx: Executor, ctx: PurposeContext, object: CatalogObject): Promise<FieldAccess> {
  const policy = await objectPolicy(tx, ctx, object, `${object}.read`);
  return { purpose: policy.purpose, allowed: new Set(policy.allowed), withheld: policy.withheld };
}

/**
 * SQL text[]: the subject rules (erased, restricted, objected, no live consent) that stop
 * the purpose for the subject whose id is `subjectId` now; empty when its basis holds. The
 * same conditions as permittedSubjectsCondition, as a column, so one query both reads the
 * rows and says why a subject's values are withheld.
 */
export function deniedReasonsColumn(ctx: PurposeContext, purpose: PolicyPurpose, now: Date, subjectId: SQL): SQL {
  const rules = subjectReasonConditions(ctx.tenantId, purpose, now, subjectId);
  const cases = subjectReasons.map((reason) => sql`case when ${rules[reason]} then ${reason} end`);
  return sql`array_remove(array[${sql.join(cases, sql`, `)}]::text[], null)`;
}

export const asSubjectReasons = (value: unknown): SubjectReason[] => (Array.isArray(value) ? (value as SubjectReason[]) : []);

/** Collects withheld fields without repeating a (field, reason) pair. */
export class WithheldList {
  private readonly seen = new Map<string, WithheldField>();

  constructor(initial: readonly WithheldField[] = []) {
    for (const entry of initial) this.add(entry.field, entry.reason);
  }

  add(field: string, reason: DenyReason): void {
    this.seen.set(`${field}\u0000${reason}`, { field, reason });
  }

  get list(): WithheldField[] {
    return [...this.seen.values()];
  }

  /** For the audit entry: each reason once, e.g. [{ field: 'properties', reason: 'no_live_consent' }]. */
  get reasons(): Array<{ field: string; reason: string }> {
    return this.list.map((entry) => ({ field: entry.field, reason: entry.reason }));
  }
}

/**
 * Runs `open` and turns a value that does not authenticate (tampered, moved to another
 * row or subject) into integrity_error: the stored data is damaged, not the request.
 * The message names the object, never a value.
 */
export function openOrIntegrityError<T>(object: string, open: () => T): T {
  try {
    return open();
  } catch (error) {
    if (error instanceof VaultDecryptError) {
      throw new DomainError('integrity_error', `A sealed ${object} value failed authentication: it was altered or moved in the database.`);
    }
    throw error;
  }
}
