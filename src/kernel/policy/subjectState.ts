/*
 * What the policy knows about one data subject, as plain values: the per-row oracle
 * (decide) reads this shape, the set-wise SQL path reads the same facts from the tables
 * in src/db/schema/policy.ts. Every fact carries its time so "now" decides.
 */

export type ConsentFact = { purposeKey: string; givenAt: Date; withdrawnAt: Date | null; expiresAt: Date | null };
/** purposeKey null objects to all direct marketing. */
export type ObjectionFact = { purposeKey: string | null; objectedAt: Date };
export type RestrictionFact = { restrictedAt: Date; liftedAt: Date | null };
export type ErasureFact = { erasedAt: Date };

export type SubjectState = {
  subjectId: string;
  consents: ConsentFact[];
  objections: ObjectionFact[];
  restrictions: RestrictionFact[];
  erasures: ErasureFact[];
};

export const emptySubjectState = (subjectId: string): SubjectState => ({ subjectId, consents: [], objections: [], restrictions: [], erasures: [] });
