import type { LegalBasis } from '../shared/legalBases.ts';

// The purposes every new workspace starts with. Legal bases are GDPR Art. 6(1) bases
// (src/shared/legalBases.ts); data uses are fideslang keys (data/fideslang/data_uses.json).

export type PurposeDefinition = {
  key: string;
  description: string;
  legalBasis: LegalBasis;
  dataUse: string;
  retentionDays: number | null;
};

export const defaultPurposes: PurposeDefinition[] = [
  {
    key: 'sales',
    description: 'Managing our relationship with customers and prospects: contacts, deals and follow-ups.',
    legalBasis: 'legitimate_interests',
    dataUse: 'sales',
    retentionDays: 1095,
  },
  {
    key: 'support',
    description: 'Answering questions and resolving problems customers raise with us.',
    legalBasis: 'contract',
    dataUse: 'essential.service.operations.support',
    retentionDays: 730,
  },
  {
    key: 'order_fulfilment',
    description: 'Processing, delivering and invoicing orders a customer placed.',
    legalBasis: 'contract',
    dataUse: 'essential.service.payment_processing',
    retentionDays: 3650,
  },
  {
    key: 'email_marketing',
    description: 'Sending newsletters and offers to people who asked for them.',
    legalBasis: 'consent',
    dataUse: 'marketing.communications.email',
    retentionDays: 730,
  },
  {
    key: 'email_marketing_existing_customers',
    description: 'Telling existing customers about similar products (soft opt-in); they can object at any time.',
    legalBasis: 'legitimate_interests',
    dataUse: 'marketing.communications.email',
    retentionDays: 730,
  },
  {
    key: 'web_analytics',
    description: 'Understanding how visitors use our website to improve it.',
    legalBasis: 'consent',
    dataUse: 'analytics.reporting',
    retentionDays: 395,
  },
  {
    key: 'legal_compliance',
    description: 'Keeping records the law requires, such as invoices and tax records.',
    legalBasis: 'legal_obligation',
    dataUse: 'essential.legal_obligation',
    retentionDays: 3650,
  },
];
