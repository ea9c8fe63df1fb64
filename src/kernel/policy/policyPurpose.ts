import { DomainError } from '../../shared/domainError.ts';
import { isLegalBasis, type LegalBasis } from '../../shared/legalBases.ts';

/** A material notice version: consents recorded under older versions stop counting at renewBy. */
export type NoticeRenewal = { version: number; renewBy: Date };

/** What the policy needs of a purpose: exactly one legal basis and its fideslang data use. */
export type PolicyPurpose = {
  key: string;
  legalBasis: LegalBasis;
  dataUse: string;
  /** The oracle's view of the purpose's material notice versions (the SQL path reads purpose_notices). */
  noticeRenewals?: readonly NoticeRenewal[];
};

/** Direct marketing: fideslang data uses under `marketing`. Art. 21(2)–(3) objections always apply. */
export const isDirectMarketing = (purpose: PolicyPurpose) => purpose.dataUse === 'marketing' || purpose.dataUse.startsWith('marketing.');

/** Whether an Art. 21 objection stops this purpose: bases (e) and (f), and direct marketing whatever its basis. */
export const objectionApplies = (purpose: PolicyPurpose) =>
  purpose.legalBasis === 'public_task' || purpose.legalBasis === 'legitimate_interests' || isDirectMarketing(purpose);

/** The built-in purpose of answering data subjects' rights requests (src/privacy/defaultPurposes.ts). */
export const dsrFulfilmentKey = 'dsr_fulfilment';

/**
 * Whether the purpose is dsr_fulfilment, a legal obligation (Art. 6(1)(c) with Art. 12–15):
 * it may open every declared field and read past restriction (Art. 18(2) allows processing
 * for legal claims and the subject's own request) and objection, but never past erasure.
 * It has no retention period: the retention sweep ignores it. Both the key and the basis
 * must match, so a workspace purpose renamed or rebased cannot borrow the override.
 */
export const isDsrFulfilment = (purpose: { key: string; legalBasis: string }) => purpose.key === dsrFulfilmentKey && purpose.legalBasis === 'legal_obligation';

/** Narrows a stored purpose row (legal_basis is text in the database) to a PolicyPurpose. */
export function toPolicyPurpose(row: { key: string; legalBasis: string; dataUse: string }): PolicyPurpose {
  if (!isLegalBasis(row.legalBasis)) {
    throw new DomainError('configuration_error', `Purpose ${row.key} has an unknown legal basis.`, [], { purpose: row.key });
  }
  return { key: row.key, legalBasis: row.legalBasis, dataUse: row.dataUse };
}
