import { sql } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { isUuid } from '../db/ids.ts';
import { DomainError, notFound } from '../shared/domainError.ts';
import type { PurposeContext } from './accessContext.ts';
import { recordAudit } from './audit.ts';
import { inTransaction } from './audit/head.ts';
import { auditTrailForSubject } from './audit/trail.ts';
import { objectPolicy, type ObjectPolicy } from './callPolicy.ts';
import { declarationOf } from './catalog/fieldDeclaration.ts';
import { subjectConsentReceipts } from './consentReceipts.ts';
import { openLedgerRows, type ConsentEvent } from './consentRecords.ts';
import { builtInContactFields, readContact } from './contactRecords.ts';
import { erasedCondition } from './policy/permittedSubjects.ts';
import { isDsrFulfilment } from './policy/policyPurpose.ts';
import { subjectRecordsOf, type SubjectRecords } from './subjectAccessRecords.ts';

/*
 * Everything held on one data subject, for their access request (GDPR Art. 15, portability
 * Art. 20, CCPA's right to know): the contact's every stored value (declared fields and
 * custom fields), its company's name, the deals, purchases, activities, events and visitor
 * profiles that name it, its consent ledger with a signed receipt per event, its restrictions
 * and objections, and the trail of who accessed its data for what purpose. Only the built-in
 * legal-obligation purpose dsr_fulfilment may read it (the policy lets that purpose open every
 * field and read past restriction and objection); an erased subject is not found. The read is
 * ONE audit entry of its own action, naming the subject by pseudonym and what was opened.
 */

export const subjectAccessAction = 'subject.access_read';

/** A trail entry as the subject sees it: when, for which purpose, what kind of actor, which of their records. */
export type AccessTrailEntry = {
  sequence: number;
  occurredAt: string;
  action: string;
  object: string | null;
  purpose: string | null;
  actorType: string;
  decision: string;
  fields: string[];
  /** Ids of the subject's own records the entry names (others' records are left out). */
  recordIds: string[];
};

export type AccessField = { field: string; value: unknown; dataCategory: string | null; purposes: string[]; custom: boolean };

export type SubjectAccess = Omit<SubjectRecords, 'consentRows'> & {
  subjectId: string;
  contact: {
    id: string;
    lifecycleStage: string;
    source: string;
    importBatchId: string | null;
    createdAt: string;
    updatedAt: string;
    lastActivityAt: string | null;
  };
  /** Every stored personal value, with its declaration's data category and purposes. */
  fields: AccessField[];
  consents: Array<ConsentEvent & { receipt: string | null }>;
  trail: AccessTrailEntry[];
  readAt: string;
};

export type SubjectAccessOptions = {
  /** Where the workspace's Candor answers: the consent receipts name it. */
  controllerUrl: string;
  /** Most trail entries returned (oldest first); default 10,000. */
  trailLimit?: number;
};

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

function refuseOtherPurposes(purposeKey: string): DomainError {
  return new DomainError('forbidden', `Everything held on a person is read only for dsr_fulfilment, not ${purposeKey}.`, [
    { field: 'Candor-Purpose', reason: 'only dsr_fulfilment reads everything held on a person' },
  ]);
}

/** The policy of a read for the subject's own request: dsr_fulfilment, granted to the role (403 otherwise, audited under `action`). */
export async function subjectAccessPolicy(executor: Executor, ctx: PurposeContext, action: string): Promise<ObjectPolicy> {
  const policy = await objectPolicy(executor, ctx, 'contact', action);
  if (!isDsrFulfilment(policy.purpose)) {
    await recordAudit(executor, ctx, { action, object: 'contact', decision: 'deny', reasons: ['field_not_declared_for_purpose'] });
    throw refuseOtherPurposes(policy.purpose.key);
  }
  return policy;
}

/**
 * Everything held on the contact `subjectId`, for the context's purpose, which must be
 * dsr_fulfilment and granted to the role (403 otherwise, the refusal audited). 404 when there
 * is no such contact or it is erased. See the file comment.
 */
export async function openSubjectAccess(executor: Executor, ctx: PurposeContext, subjectId: string, options: SubjectAccessOptions): Promise<SubjectAccess> {
  const policy = await subjectAccessPolicy(executor, ctx, subjectAccessAction);
  if (!isUuid(subjectId)) throw notFound('contact');
  return inTransaction(executor, async (tx) => {
    const record = await readContact(tx, ctx, subjectId, { subjectCondition: (id) => sql`not ${erasedCondition(ctx.tenantId, policy.now, id)}` });
    if (!record) {
      await recordAudit(tx, ctx, { action: subjectAccessAction, object: 'contact', fields: [], subjectIds: [subjectId], detail: { found: false } });
      throw notFound('contact');
    }
    // The trail as it stood before this read (this read's own entry is the next one).
    const trail = await auditTrailForSubject(tx, ctx.tenantId, { subjectId }, { limit: options.trailLimit ?? 10_000 });
    const { consentRows, ...records } = await subjectRecordsOf(tx, ctx, subjectId);
    const ledger = await openLedgerRows(tx, ctx.tenantId, subjectId, consentRows);
    const receipts = ledger.length > 0 ? await subjectConsentReceipts(tx, ctx.tenantId, subjectId, options.controllerUrl) : new Map();

    const fields: AccessField[] = Object.entries(record.personal)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([field, value]) => {
        const declaration = declarationOf(policy.catalog, 'contact', field);
        const custom = !(builtInContactFields as readonly string[]).includes(field);
        return { field, value, dataCategory: declaration?.dataCategory ?? null, purposes: declaration ? [...declaration.purposes] : [], custom };
      });
    const own = new Set([
      subjectId,
      ...records.deals.map((d) => d.id),
      ...records.purchases.map((p) => p.id),
      ...records.activities.map((a) => a.id),
      ...records.events.map((e) => e.id),
      ...records.visitors.map((v) => v.id),
      ...ledger.map((c) => c.id),
    ]);
    await recordAudit(tx, ctx, {
      action: subjectAccessAction,
      object: 'contact',
      recordIds: [...records.deals.map((d) => d.id), ...records.purchases.map((p) => p.id), ...records.activities.map((a) => a.id)],
      fields: fields.map((entry) => entry.field),
      decision: 'allow',
      subjectIds: [subjectId],
      detail: {
        deals: records.deals.length,
        purchases: records.purchases.length,
        activities: records.activities.length,
        events: records.events.length,
        visitors: records.visitors.length,
        consents: ledger.length,
        trail: trail.length,
      },
    });
    return {
      subjectId,
      contact: {
        id: record.id,
        lifecycleStage: record.lifecycleStage,
        source: record.source,
        importBatchId: record.importBatchId,
        createdAt: iso(record.createdAt)!,
        updatedAt: iso(record.updatedAt)!,
        lastActivityAt: iso(record.lastActivityAt),
      },
      fields,
      ...records,
      consents: ledger.map((event) => ({ ...event, receipt: receipts.get(event.id)?.jws ?? null })),
      trail: trail.map((entry) => ({
        sequence: entry.sequence,
        occurredAt: entry.occurredAt,
        action: entry.action,
        object: entry.object,
        purpose: entry.purpose,
        actorType: entry.actor.type,
        decision: entry.decision,
        fields: entry.fields,
        recordIds: entry.recordIds.filter((id) => own.has(id.toLowerCase())),
      })),
      readAt: policy.now.toISOString(),
    };
  });
}
