import { describe, expect, it } from 'vitest';
import { defaultPurposes } from '../../privacy/defaultPurposes.ts';
import { legalBases, legalBasisTerms, loadDpvLegalBasisTerms, missingLegalBasisTerms } from '../../shared/legalBases.ts';
import { toPolicyPurpose } from './policyPurpose.ts';
import { defaultRoleGrants } from './roleGrants.ts';

describe('purposes, legal bases and role grants', () => {
  it('maps every GDPR Art. 6(1) basis to DPV terms that exist in data/dpv', () => {
    const known = loadDpvLegalBasisTerms();
    expect(missingLegalBasisTerms(known)).toEqual([]);
    expect(legalBasisTerms('consent')).toEqual({ article: '6(1)(a)', dpv: 'dpv:Consent', gdpr: 'eu-gdpr:A6-1-a' });
    expect(new Set(legalBases.map((basis) => legalBasisTerms(basis).gdpr)).size).toBe(6);
  });

  it('reports a term the vocabulary lacks', () => {
    const known = loadDpvLegalBasisTerms();
    known.delete('eu-gdpr:A6-1-e');
    expect(missingLegalBasisTerms(known)).toEqual(['eu-gdpr:A6-1-e']);
  });

  it('refuses a stored purpose whose basis is not one of the six', () => {
    expect(() => toPolicyPurpose({ key: 'x', legalBasis: 'because', dataUse: 'sales' })).toThrow(/unknown legal basis/);
  });

  it('grants each role the default purposes its work needs and no others', () => {
    const grants = defaultRoleGrants(defaultPurposes.map(toPolicyPurpose));
    const of = (role: string) =>
      grants
        .filter((grant) => grant.role === role)
        .map((grant) => grant.purposeKey)
        .sort();
    const all = defaultPurposes.map((purpose) => purpose.key).sort();
    expect(of('admin')).toEqual(all);
    expect(of('privacy_officer')).toEqual(all);
    expect(of('sales')).toEqual(['order_fulfilment', 'sales']);
    expect(of('support')).toEqual(['order_fulfilment', 'support']);
    expect(of('marketing')).toEqual(['email_marketing', 'email_marketing_existing_customers', 'targeted_advertising', 'web_analytics']);
    expect(of('analyst')).toEqual(['web_analytics']);
  });
});
