import type { Executor } from '../db/connection.ts';

/*
 * The subjects a transaction created itself (a visitor for a new anonymous id, a contact a
 * form made): no other transaction can see them until it commits, so none can have erased,
 * merged or recorded anything for them, and their standing is known without asking — the
 * subject lock and the standing read of prepareSubjectChange are skipped for them. Kept on
 * the transaction object (a WeakMap), so never across transactions; any erasure in the
 * process voids every entry (it may be of such a subject, in a savepoint of the creator).
 */

/** A subject's kind (subjectStanding.ts's SubjectKind, which reads this file). */
type SubjectKind = 'contact' | 'visitor';

const createdBy = new WeakMap<object, { kinds: Map<string, SubjectKind>; erasures: number }>();
let erasures = 0;

/** Notes subjects this transaction has just created. */
export function rememberCreatedSubjects(tx: Executor, kind: SubjectKind, subjectIds: readonly string[]): void {
  const known = createdBy.get(tx);
  const created = known && known.erasures === erasures ? known : { kinds: new Map<string, SubjectKind>(), erasures };
  createdBy.set(tx, created);
  for (const id of subjectIds) created.kinds.set(id, kind);
}

/** The kind of a subject this transaction created and nothing has erased since; null for any other. */
export function createdSubjectKind(tx: Executor, subjectId: string): SubjectKind | null {
  const created = createdBy.get(tx);
  return created && created.erasures === erasures ? (created.kinds.get(subjectId) ?? null) : null;
}

/** Called by every erasure (rows deleted, or an erasure recorded). */
export function noteSubjectErasure(): void {
  erasures += 1;
}
