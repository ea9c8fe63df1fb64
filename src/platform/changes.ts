import type { Executor } from '../db/connection.ts';
import { recordAudit, type AccessContext, type AuditRecord } from '../kernel/index.ts';
import { queueWebhookDeliveries, type Change } from '../webhooks/fanout.ts';

export type { Change, ChangeKind } from '../webhooks/fanout.ts';

/**
 * How the audit entry words a change where it differs from the change itself. A batch is
 * audited in its own terms — `import.published` with counts and the fields the file
 * mapped, the subjects a batch of events holds — while subscribers are told what changed
 * on the record they can fetch (`import.updated`, `event_batch.created`).
 */
export type AuditWording = Partial<Pick<AuditRecord, 'action' | 'object' | 'fields' | 'subjectIds' | 'detail'>>;

// Objects whose records are data subjects: their ids go to the audit only as keyed
// pseudonyms, so "who touched my data" is one indexed query (auditTrailForSubject).
const subjectObjects = new Set(['contact', 'visitor']);

/**
 * Every create, update, delete and merge goes through here, inside the transaction that
 * makes it: it is audited and fanned out to webhook subscriptions atomically with the write
 * (in an auditedTransaction the entry is appended just before COMMIT).
 * The audit entry is `${object}.${kind}` naming the record and the changed fields, unless
 * `wording` says otherwise.
 */
export async function recordChange(tx: Executor, ctx: AccessContext, change: Change, wording: AuditWording = {}): Promise<void> {
  await recordChanges(tx, ctx, [change], wording);
}

/**
 * Records changes of one kind to many records of one object at once (a batch's creates):
 * ONE audit entry `${object}.${kind}` naming every record (subjects as pseudonyms, so each
 * person's trail finds it) and the union of their changed fields, and set-wise webhook
 * deliveries — still one per record and subscription, each naming its own record's fields.
 */
export async function recordChanges(tx: Executor, ctx: AccessContext, changes: readonly Change[], wording: AuditWording = {}): Promise<void> {
  if (changes.length === 0) return;
  const [{ object, kind }] = changes;
  if (changes.some((change) => change.object !== object || change.kind !== kind)) throw new TypeError('recordChanges: one object and kind per call');
  const ids = changes.flatMap((change) => [change.recordId, ...(change.relatedIds ?? [])]);
  await recordAudit(tx, ctx, {
    action: `${object}.${kind}`,
    object,
    ...(subjectObjects.has(object) ? { subjectIds: ids } : { recordIds: ids }),
    fields: [...new Set(changes.flatMap((change) => change.fields ?? []))],
    ...wording,
  });
  await queueWebhookDeliveries(tx, ctx.tenantId, changes);
}

/**
 * Tells webhook subscribers of changes the kernel has audited itself (a consent ledger
 * event's `consent.<state>` entry): the fan-out of recordChanges without a second audit entry.
 */
export async function announceChanges(tx: Executor, tenantId: string, changes: readonly Change[]): Promise<void> {
  await queueWebhookDeliveries(tx, tenantId, changes);
}
