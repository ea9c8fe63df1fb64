import { and, not, sql, type SQL } from 'drizzle-orm';
import { ledgerConsentStore } from './consentLedger.ts';
import type { ConsentStore } from './consentStore.ts';
import { isDirectMarketing, isDsrFulfilment, objectionApplies, type PolicyPurpose } from './policyPurpose.ts';

/*
 * The subject rules of the policy as SQL conditions over a subject id expression (e.g.
 * contacts.id), so a list read filters 10,000 rows in the one query that reads them.
 * Each rule is its own condition, so a read can say which one withholds a subject.
 */

const at = (now: Date) => sql`${now.toISOString()}::timestamptz`;

/*
 * Erasure, restriction and objection are written `subject in (uncorrelated select)`:
 * negated, that is NOT IN over a NOT NULL column, which PostgreSQL runs as one hashed scan
 * of the policy table's rows for the workspace. NOT EXISTS planned as a nested-loop anti
 * join probing the table once per contact while it is empty or small: 10,000 probes per
 * statement, about 3× the cost of the whole unfiltered SELECT. The hash holds only while
 * those rows fit hash_mem (≈ 150,000 subjects per workspace with default settings);
 * beyond that write the rule as NOT EXISTS again. Consents, which grow with the contacts,
 * stay a correlated EXISTS over consent_states (consentLedger.ts), planned as a hash anti
 * join at any size.
 */

export function erasedCondition(tenantId: string, now: Date, subjectId: SQL): SQL {
  return sql`${subjectId} in (select e.subject_id from erasures e where e.tenant_id = ${tenantId}::uuid and e.erased_at <= ${at(now)})`;
}

export function restrictedCondition(tenantId: string, now: Date, subjectId: SQL, purpose?: PolicyPurpose): SQL {
  // Reading for the person's own rights request (dsr_fulfilment) is not stopped by restriction.
  if (purpose && isDsrFulfilment(purpose)) return sql`false`;
  return sql`${subjectId} in (
    select r.subject_id from restrictions r
    where r.tenant_id = ${tenantId}::uuid and r.restricted_at <= ${at(now)} and (r.lifted_at is null or r.lifted_at > ${at(now)}))`;
}

/** True when an objection stops the purpose for the subject; false outright when no objection can apply (nor for dsr_fulfilment). */
export function objectedCondition(tenantId: string, purpose: PolicyPurpose, now: Date, subjectId: SQL): SQL {
  if (!objectionApplies(purpose) || isDsrFulfilment(purpose)) return sql`false`;
  const matches = isDirectMarketing(purpose) ? sql`(o.purpose_key = ${purpose.key} or o.purpose_key is null)` : sql`o.purpose_key = ${purpose.key}`;
  return sql`${subjectId} in (
    select o.subject_id from objections o
    where o.tenant_id = ${tenantId}::uuid and o.objected_at <= ${at(now)} and ${matches})`;
}

/** True when the purpose's basis lacks the consent it needs: consent purposes only. */
export function noLiveConsentCondition(
  tenantId: string,
  purpose: PolicyPurpose,
  now: Date,
  subjectId: SQL,
  consentStore: ConsentStore = ledgerConsentStore,
): SQL {
  if (purpose.legalBasis !== 'consent') return sql`false`;
  return not(consentStore.liveCondition(tenantId, purpose.key, now, subjectId));
}

/**
 * The rules that withhold a subject created in this very request (no erasure, restriction,
 * objection or consent can name it yet): a consent basis alone, for want of a consent.
 */
export function freshSubjectDenials(purpose: PolicyPurpose): Array<'no_live_consent'> {
  return purpose.legalBasis === 'consent' ? ['no_live_consent'] : [];
}

/** Each subject rule by the reason it gives when it withholds. */
export function subjectReasonConditions(tenantId: string, purpose: PolicyPurpose, now: Date, subjectId: SQL, consentStore: ConsentStore = ledgerConsentStore) {
  return {
    erased: erasedCondition(tenantId, now, subjectId),
    restricted: restrictedCondition(tenantId, now, subjectId, purpose),
    objected: objectedCondition(tenantId, purpose, now, subjectId),
    no_live_consent: noLiveConsentCondition(tenantId, purpose, now, subjectId, consentStore),
  };
}

/**
 * SQL true for the subjects whose basis for `purpose` holds at `now`: not erased, not
 * restricted, no objection where one applies, a live consent where the basis is consent.
 * Use in a WHERE over the subject's id, e.g. `permittedSubjectsCondition(t, p, now, sql`${contacts.id}`)`.
 * Role grants and field declarations are not row rules: see permittedFields.
 */
export function permittedSubjectsCondition(
  tenantId: string,
  purpose: PolicyPurpose,
  now: Date,
  subjectId: SQL,
  consentStore: ConsentStore = ledgerConsentStore,
): SQL {
  const rules = subjectReasonConditions(tenantId, purpose, now, subjectId, consentStore);
  return and(...Object.values(rules).map((rule) => not(rule)))!;
}
