import type { Role } from '../../shared/roles.ts';
import type { Catalog, CatalogObject } from '../catalog/fieldDeclaration.ts';
import { declarationOf } from '../catalog/fieldDeclaration.ts';
import type { PolicyPurpose } from './policyPurpose.ts';
import type { ConsentEventFact, SubjectState } from './subjectState.ts';
import { liveConsentStates } from '../../shared/consentVocabulary.ts';

/*
 * The policy as a per-row pure function: one subject, one field, one moment. It is the
 * oracle the set-wise SQL path (permittedSubjects.ts, as src/kernel/contactAccess.ts composes it) is tested against,
 * so it is written straight from the rules, sharing no code with that path, and lists
 * EVERY rule that fails.
 */

// Art. 21(2): objection to direct marketing is absolute; fideslang marketing uses are that.
const directMarketing = (purpose: PolicyPurpose) => purpose.dataUse.split('.')[0] === 'marketing';
// Answering the person's own rights request (Art. 12–15), a legal obligation: written out
// here rather than imported, as the oracle shares no code with the SQL path.
const dsrFulfilment = (purpose: PolicyPurpose) => purpose.key === 'dsr_fulfilment' && purpose.legalBasis === 'legal_obligation';

export const fieldReasons = ['role_not_granted', 'field_not_declared_for_purpose'] as const;
export const subjectReasons = ['erased', 'restricted', 'objected', 'no_live_consent'] as const;
// Not a rule of the policy: the value cannot be opened by anyone, as the key that sealed it
// was shredded (events a merge moved without re-sealing; src/kernel/eventSeals.ts).
export const storageReasons = ['unrecoverable'] as const;
export type FieldReason = (typeof fieldReasons)[number];
export type SubjectReason = (typeof subjectReasons)[number];
export type StorageReason = (typeof storageReasons)[number];
export type DenyReason = FieldReason | SubjectReason | StorageReason;

export type Decision = { allow: true; reasons: [] } | { allow: false; reasons: DenyReason[] };

export type DecisionActor = {
  role: Role;
  /** The purposes the workspace grants the role. */
  grantedPurposes: ReadonlySet<string>;
};

export type DecisionField = { catalog: Catalog; object: CatalogObject; field: string };

/**
 * The ledger's rule: the latest event on record at `t` for the purpose decides (of two at the
 * same time, the one recorded later); consent is live when that event gave or renewed it,
 * its expiry has not come, and no material notice version whose renewal deadline has passed
 * by `t` is newer than the notice it was recorded under (none recorded: version 0). No
 * event, or any other state, is no consent.
 */
function consentLive(events: readonly ConsentEventFact[], purpose: PolicyPurpose, t: number): boolean {
  let latest: ConsentEventFact | undefined;
  for (const event of events) {
    if (event.purposeKey === purpose.key && event.recordedAt.getTime() <= t && (!latest || event.recordedAt.getTime() >= latest.recordedAt.getTime()))
      latest = event;
  }
  if (!latest || !(liveConsentStates as readonly string[]).includes(latest.state)) return false;
  if (latest.expiresAt !== null && latest.expiresAt.getTime() <= t) return false;
  const given = latest.noticeVersion ?? 0;
  return !(purpose.noticeRenewals ?? []).some((renewal) => renewal.renewBy.getTime() <= t && renewal.version > given);
}

/** Why the subject's basis for the purpose does not hold at `now` (empty when it holds). */
export function subjectDenyReasons(purpose: PolicyPurpose, state: SubjectState, now: Date): SubjectReason[] {
  const t = now.getTime();
  const reasons: SubjectReason[] = [];
  if (state.erasures.some((erasure) => erasure.erasedAt.getTime() <= t)) reasons.push('erased');
  // dsr_fulfilment answers the person's own request: restriction and objection do not stop it; erasure does.
  const dsr = dsrFulfilment(purpose);
  if (!dsr && state.restrictions.some((r) => r.restrictedAt.getTime() <= t && (r.liftedAt === null || r.liftedAt.getTime() > t))) reasons.push('restricted');
  // Art. 21(1): objection applies to bases (e) public task and (f) legitimate interests.
  if (!dsr && (purpose.legalBasis === 'public_task' || purpose.legalBasis === 'legitimate_interests' || directMarketing(purpose))) {
    const objected = state.objections.some(
      (o) => o.objectedAt.getTime() <= t && (o.purposeKey === purpose.key || (o.purposeKey === null && directMarketing(purpose))),
    );
    if (objected) reasons.push('objected');
  }
  if (purpose.legalBasis === 'consent' && !consentLive(state.consents, purpose, t)) reasons.push('no_live_consent');
  return reasons;
}

/** Why the field may not be used for the purpose by this actor, whoever the subject (empty when it may). */
export function fieldDenyReasons(actor: DecisionActor, purpose: PolicyPurpose, field: DecisionField): FieldReason[] {
  const reasons: FieldReason[] = [];
  if (!actor.grantedPurposes.has(purpose.key)) reasons.push('role_not_granted');
  const declaration = declarationOf(field.catalog, field.object, field.field);
  // dsr_fulfilment may open every declared field, whatever purposes it is declared for.
  if (!declaration || (!declaration.purposes.includes(purpose.key) && !dsrFulfilment(purpose))) reasons.push('field_not_declared_for_purpose');
  return reasons;
}

/** Default deny: allowed only when no rule fails. */
export function decide(actor: DecisionActor, purpose: PolicyPurpose, state: SubjectState, field: DecisionField, now: Date): Decision {
  const reasons: DenyReason[] = [...fieldDenyReasons(actor, purpose, field), ...subjectDenyReasons(purpose, state, now)];
  return reasons.length === 0 ? { allow: true, reasons: [] } : { allow: false, reasons };
}
