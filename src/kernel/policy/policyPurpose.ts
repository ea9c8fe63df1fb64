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

/** Narrows a stored purpose row (legal_basis is text in the database) to a PolicyPurpose. */
export function toPolicyPurpose(row: { key: string; legalBasis: string; dataUse: string }): PolicyPurpose {
  if (!isLegalBasis(row.legalBasis)) {
    throw new DomainError('configuration_error', `Purpose ${row.key} has an unknown legal basis.`, [], { purpose: row.key });
  }
  return { key: row.key, legalBasis: row.legalBasis, dataUse: row.dataUse };
}
