import type { LegalBasis } from './legalBases.ts';

/*
 * How a purpose's retention period is counted and how it ends (issue 13 item 11). The
 * period runs from the anchor that fits the purpose; when no purpose justifies keeping a
 * subject any longer, the retention sweep erases it, or anonymises it where the privacy
 * officer chose that for the purpose whose period ended last.
 *
 * - last_interaction: the latest of the record's creation, its last activity and its last event;
 * - last_purchase: the last purchase or the end of the last deal (contract end); an open deal keeps it;
 * - consent_withdrawal: the withdrawal, refusal or expiry of the consent; a live consent keeps it.
 */
export const retentionAnchors = ['last_interaction', 'last_purchase', 'consent_withdrawal'] as const;
export type RetentionAnchor = (typeof retentionAnchors)[number];

export const retentionActions = ['erase', 'anonymise'] as const;
export type RetentionAction = (typeof retentionActions)[number];

/** The anchor a new purpose gets unless it names one: a consent purpose counts from the consent's end. */
export const defaultRetentionAnchor = (legalBasis: LegalBasis): RetentionAnchor => (legalBasis === 'consent' ? 'consent_withdrawal' : 'last_interaction');
