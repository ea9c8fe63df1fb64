import type { Executor } from '../db/connection.ts';
import { appendAudit, type AccessContext } from '../kernel/index.ts';
import { queueWebhookDeliveries } from '../webhooks/fanout.ts';

export type ChangeKind = 'created' | 'updated' | 'deleted' | 'merged';

export type Change = {
  object: string;
  recordId: string;
  kind: ChangeKind;
  /** Names of the fields that changed; never their values. */
  fields?: string[];
  /** Other records involved (e.g. the duplicate merged into this one). */
  relatedIds?: string[];
};

// Objects whose records are data subjects: their ids go to the audit only as keyed
// pseudonyms, so "who touched my data" is one indexed query (auditTrailForSubject).
const subjectObjects = new Set(['contact', 'visitor']);

/**
 * Every create, update, delete and merge goes through here, inside the transaction that
 * makes it: it is audited and fanned out to webhook subscriptions atomically with the write.
 */
export async function recordChange(tx: Executor, ctx: AccessContext, change: Change): Promise<void> {
  const ids = [change.recordId, ...(change.relatedIds ?? [])];
  const subjects = subjectObjects.has(change.object);
  await appendAudit(tx, ctx, {
    action: `${change.object}.${change.kind}`,
    object: change.object,
    ...(subjects ? { subjectIds: ids } : { recordIds: ids }),
    fields: change.fields ?? [],
  });
  await queueWebhookDeliveries(tx, ctx.tenantId, change);
}
