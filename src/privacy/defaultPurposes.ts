import type { LegalBasis } from '../shared/legalBases.ts';
import type { RetentionAnchor } from '../shared/retentionRules.ts';

// The purposes every new workspace starts with. Legal bases are GDPR Art. 6(1) bases
// (src/shared/legalBases.ts); data uses are fideslang keys (data/fideslang/data_uses.json).

export type PurposeDefinition = {
  key: string;
  description: string;
  legalBasis: LegalBasis;
  dataUse: string;
  retentionDays: number | null;
  /** What the period counts from (src/shared/retentionRules.ts); every default purpose ends in erasure. */
  retentionAnchor: RetentionAnchor;
};

export const defaultPurposes: PurposeDefinition[] = [
  {
    key: 'sales',
    description: 'Managing our relationship with customers and prospects: contacts, deals and follow-ups.',
    legalBasis: 'legitimate_interests',
    dataUse: 'sales',
    retentionDays: 1095,
    retentionAnchor: 'last_interaction',
  },
  {
    key: 'support',
    description: 'Answering questions and resolving problems customers raise with us.',
    legalBasis: 'contract',
    dataUse: 'essential.service.operations.support',
    retentionDays: 730,
    retentionAnchor: 'last_interaction',
  },
  {
    key: 'order_fulfilment',
    description: 'Processing, delivering and invoicing orders a customer placed.',
    legalBasis: 'contract',
    dataUse: 'essential.service.payment_processing',
    retentionDays: 3650,
    retentionAnchor: 'last_purchase',
  },
  {
    key: 'email_marketing',
    description: 'Sending newsletters and offers to people who asked for them.',
    legalBasis: 'consent',
    dataUse: 'marketing.communications.email',
    retentionDays: 730,
    retentionAnchor: 'consent_withdrawal',
  },
  {
    key: 'email_marketing_existing_customers',
    description: 'Telling existing customers about similar products (soft opt-in); they can object at any time.',
    legalBasis: 'legitimate_interests',
    dataUse: 'marketing.communications.email',
    retentionDays: 730,
    retentionAnchor: 'last_purchase',
  },
  {
    key: 'web_analytics',
    description: 'Understanding how visitors use our website to improve it.',
    legalBasis: 'consent',
    dataUse: 'analytics.reporting',
    retentionDays: 395,
    retentionAnchor: 'consent_withdrawal',
  },
  /*
   * The data uses a US opt-out of sale, sharing and targeted advertising covers (CCPA/CPRA,
   * signalled by Global Privacy Control: src/privacy/gpc.ts). On the consent basis: the
   * GDPR and the ePrivacy rules want consent for both (EDPB Guidelines 8/2020 on targeting),
   * and an opt-in honours the CCPA's opt-out model as well: nobody is included until they
   * agree, and an opt-out (an `opted_out` ledger event) ends it like a withdrawal.
   * Migration 0021 adds both to workspaces created before them.
   */
  {
    key: 'targeted_advertising',
    description: 'Showing you our advertising on other websites and apps, chosen from what you did on ours, through advertising partners.',
    legalBasis: 'consent',
    dataUse: 'marketing.advertising.third_party.targeted',
    retentionDays: 395,
    retentionAnchor: 'consent_withdrawal',
  },
  {
    key: 'third_party_sharing',
    description: 'Sharing your details with selected partners for their own use, including any sale of personal information.',
    legalBasis: 'consent',
    dataUse: 'third_party_sharing',
    retentionDays: 365,
    retentionAnchor: 'consent_withdrawal',
  },
  {
    key: 'legal_compliance',
    description: 'Keeping records the law requires, such as invoices and tax records.',
    legalBasis: 'legal_obligation',
    dataUse: 'essential.legal_obligation',
    retentionDays: 3650,
    retentionAnchor: 'last_purchase',
  },
  /*
   * Answering a data subject's rights requests (GDPR Art. 12–22, CCPA): the law obliges us
   * to find and hand over everything we hold on a person. The kernel's policy lets this
   * purpose open every declared field and read past restriction and objection, never past
   * erasure (src/kernel/policy/policyPurpose.ts: isDsrFulfilment). No retention period:
   * it keeps nothing of its own, so the retention sweep ignores it. Migration 0028 adds it
   * to workspaces created before it.
   */
  {
    key: 'dsr_fulfilment',
    description: 'Answering the requests people make about their own data, such as a copy of it.',
    legalBasis: 'legal_obligation',
    dataUse: 'essential.legal_obligation',
    retentionDays: null,
    retentionAnchor: 'last_interaction',
  },
];
