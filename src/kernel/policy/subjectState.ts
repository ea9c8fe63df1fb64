import type { ConsentEventState } from '../../shared/consentVocabulary.ts';

/*
 * What the policy knows about one data subject, as plain values: the per-row oracle
 * (decide) reads this shape, the set-wise SQL path reads the same facts from the tables
 * in src/db/schema/policy.ts. Every fact carries its time so "now" decides.
 */

/**
 * One event of the consent ledger (src/kernel/policy/consentLedger.ts): what the person said
 * about a purpose at `recordedAt`. `expiresAt` is set on given and renewed only. Of two
 * events at the same time, the later in the list (recorded later) counts. `noticeVersion` is
 * the notice it was recorded under (absent or null: from before notices, version 0).
 */
export type ConsentEventFact = { purposeKey: string; state: ConsentEventState; recordedAt: Date; expiresAt: Date | null; noticeVersion?: number | null };
/** purposeKey null objects to all direct marketing. */
export type ObjectionFact = { purposeKey: string | null; objectedAt: Date };
export type RestrictionFact = { restrictedAt: Date; liftedAt: Date | null };
export type ErasureFact = { erasedAt: Date };

export type SubjectState = {
  subjectId: string;
  /** The subject's consent ledger, in the order recorded. */
  consents: ConsentEventFact[];
  objections: ObjectionFact[];
  restrictions: RestrictionFact[];
  erasures: ErasureFact[];
};

export const emptySubjectState = (subjectId: string): SubjectState => ({ subjectId, consents: [], objections: [], restrictions: [], erasures: [] });
