import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/connection.ts';
import { selectRows } from '../../db/rows.ts';
import {
  anonymiseContacts,
  appendAudit,
  countEventsBefore,
  expireEvents,
  pseudonymsOfSubjects,
  systemContext,
  type PurposeContext,
} from '../../kernel/index.ts';
import { DomainError } from '../../shared/domainError.ts';
import { allRestrictedSubjects, dueForRetention, ignoredPurposes, restrictedSubjects, type DueSubject } from './dueSubjects.ts';
import { allHeldSubjects, heldSubjects } from './legalHolds.ts';
import { eraseForRetention } from './retentionErasure.ts';
import { insertRetentionProof } from './retentionProofs.ts';

/*
 * The retention sweep (issue 13 item 11): erases (or anonymises) every subject no purpose
 * justifies keeping any longer and deletes the events older than their purposes' period,
 * skipping subjects under a legal hold. Subjects go in batches, each in its own transaction
 * with its audit entry (`retention.swept`, naming them by pseudonym) and its proof of
 * deletion; the events last, with `retention.events_expired` and their own proof. The dry run
 * computes the same plan and changes nothing: what it lists is what the sweep then removes.
 */

export const retentionActor = 'retention-sweep';
export const retentionBatchSize = 200;

export type RetentionPlan = {
  asOf: Date;
  /** What goes, held subjects left out: contacts and visitors, each erased or anonymised. */
  subjects: DueSubject[];
  /** Subjects due but under an active legal hold: kept. */
  held: string[];
  /** Subjects due but restricted (Art. 18: stored, not processed, erased by nobody): kept until it is lifted. */
  restricted: string[];
  /** Events older than this go (null: no period covers events, none go). */
  eventsBefore: Date | null;
  /** How many events expire on their own (those of the subjects that go are erased with them). */
  expiredEvents: number;
};

export type RetentionSweepReport = RetentionPlan & { dryRun: boolean; runId: string | null; proofs: number };
export type RetentionSweepOptions = {
  asOf?: Date;
  dryRun?: boolean;
  batchSize?: number;
  /** After each batch: subjects handled so far of all that were due. */
  onProgress?: (done: number, total: number) => void;
};

/** The subjects whose events stay whatever their age: under a legal hold or restricted. */
async function keptSubjects(executor: Executor, workspaceId: string): Promise<string[]> {
  return [...new Set([...(await allHeldSubjects(executor, workspaceId)), ...(await allRestrictedSubjects(executor, workspaceId))])];
}

/** What a sweep at `asOf` would remove, and whom legal holds keep. Reads only. */
export async function previewRetention(executor: Executor, workspaceId: string, asOf: Date = new Date()): Promise<RetentionPlan> {
  const due = await dueForRetention(executor, workspaceId, asOf);
  const ids = due.subjects.map((subject) => subject.subjectId);
  const held = await heldSubjects(executor, workspaceId, ids);
  const restricted = await restrictedSubjects(executor, workspaceId, ids);
  const subjects = due.subjects.filter((subject) => !held.has(subject.subjectId) && !restricted.has(subject.subjectId));
  const keep = [...(await keptSubjects(executor, workspaceId)), ...subjects.map((subject) => subject.subjectId)];
  return {
    asOf,
    subjects,
    held: [...held].sort(),
    restricted: [...restricted].filter((id) => !held.has(id)).sort(),
    eventsBefore: due.eventsBefore,
    expiredEvents: due.eventsBefore === null ? 0 : await countEventsBefore(executor, workspaceId, due.eventsBefore, keep),
  };
}

/**
 * The sweep's own context: Candor's system actor under the workspace's legal-obligation
 * purpose (storage limitation, Art. 5(1)(e), is itself a legal obligation), never dsr_fulfilment.
 */
async function sweepContext(executor: Executor, workspaceId: string): Promise<PurposeContext> {
  const [purpose] = await selectRows<{ key: string }>(
    executor,
    sql`select key from purposes where tenant_id = ${workspaceId} and legal_basis = 'legal_obligation' and key <> all(${sql.param(ignoredPurposes)}::text[])
        order by key = 'legal_compliance' desc, key limit 1`,
  );
  if (!purpose) {
    throw new DomainError('configuration_error', 'The retention sweep needs a purpose on the legal_obligation basis (such as legal_compliance) to act under.');
  }
  return systemContext(workspaceId, retentionActor, purpose.key);
}

async function sweepBatch(
  database: Database,
  ctx: PurposeContext,
  run: { runId: string; batch: number; asOf: Date },
  due: readonly DueSubject[],
): Promise<void> {
  await database.db.transaction(async (tx) => {
    // Holds placed and restrictions recorded since the plan was made count too: checked again under this transaction.
    const dueIds = due.map((subject) => subject.subjectId);
    const held = await heldSubjects(tx, ctx.tenantId, dueIds);
    const restricted = await restrictedSubjects(tx, ctx.tenantId, dueIds);
    const going = due.filter((subject) => !held.has(subject.subjectId) && !restricted.has(subject.subjectId));
    const toAnonymise = going.filter((subject) => subject.action === 'anonymise' && subject.kind === 'contact');
    const toErase = going.filter((subject) => !toAnonymise.includes(subject));
    const ids = going.map((subject) => subject.subjectId);
    const auditSequence = await appendAudit(tx, ctx, {
      action: 'retention.swept',
      object: 'subject',
      subjectIds: ids,
      detail: {
        asOf: run.asOf.toISOString(),
        batch: run.batch,
        erased: toErase.length,
        anonymised: toAnonymise.length,
        held: held.size,
        restricted: restricted.size,
      },
    });
    // Read before the erasure shreds the keys they derive from: the pseudonyms the entry names.
    const subjectPseudonyms = await pseudonymsOfSubjects(tx, ctx.tenantId, ids);
    const erased = await eraseForRetention(tx, ctx, toErase);
    const anonymised = await anonymiseContacts(
      tx,
      ctx,
      toAnonymise.map((subject) => subject.subjectId),
    );
    await insertRetentionProof(tx, ctx.tenantId, {
      ...run,
      actor: `system:${retentionActor}`,
      erasedSubjects: erased.length,
      anonymisedSubjects: anonymised.length,
      heldSubjects: held.size + restricted.size,
      expiredEvents: 0,
      subjectPseudonyms,
      auditSequence,
    });
  });
}

async function expireOldEvents(database: Database, ctx: PurposeContext, run: { runId: string; batch: number; asOf: Date }, before: Date): Promise<number> {
  return database.db.transaction(async (tx) => {
    const keep = await keptSubjects(tx, ctx.tenantId);
    const expired = await expireEvents(tx, ctx, before, keep);
    if (expired === 0) return 0;
    const auditSequence = await appendAudit(tx, ctx, {
      action: 'retention.events_expired',
      object: 'event',
      detail: { asOf: run.asOf.toISOString(), before: before.toISOString(), expired, keptSubjects: keep.length },
    });
    await insertRetentionProof(tx, ctx.tenantId, {
      ...run,
      actor: `system:${retentionActor}`,
      erasedSubjects: 0,
      anonymisedSubjects: 0,
      heldSubjects: keep.length,
      expiredEvents: expired,
      subjectPseudonyms: [],
      auditSequence,
    });
    return expired;
  });
}

/**
 * Runs the retention sweep of one workspace as of `asOf` (default now). With dryRun it
 * only reports the plan. Otherwise each batch of subjects, then the events, commits with
 * its audit entry and proof; a failure stops the sweep with the batches before it kept.
 */
export async function runRetentionSweep(database: Database, workspaceId: string, options: RetentionSweepOptions = {}): Promise<RetentionSweepReport> {
  const asOf = options.asOf ?? new Date();
  const plan = await previewRetention(database.db, workspaceId, asOf);
  if (options.dryRun) return { ...plan, dryRun: true, runId: null, proofs: 0 };
  const ctx = await sweepContext(database.db, workspaceId);
  const runId = randomUUID();
  const size = options.batchSize ?? retentionBatchSize;
  let proofs = 0;
  options.onProgress?.(0, plan.subjects.length);
  for (let start = 0; start < plan.subjects.length; start += size) {
    await sweepBatch(database, ctx, { runId, batch: proofs, asOf }, plan.subjects.slice(start, start + size));
    proofs += 1;
    options.onProgress?.(Math.min(start + size, plan.subjects.length), plan.subjects.length);
  }
  const expiredEvents = plan.eventsBefore === null ? 0 : await expireOldEvents(database, ctx, { runId, batch: proofs, asOf }, plan.eventsBefore);
  if (expiredEvents > 0) proofs += 1;
  return { ...plan, expiredEvents, dryRun: false, runId, proofs };
}

/** Every workspace's id: the nightly job sweeps each in turn. */
export async function workspaceIds(executor: Executor): Promise<string[]> {
  const rows = await selectRows<{ id: string }>(executor, sql`select id from workspaces order by id`);
  return rows.map((row) => row.id);
}
