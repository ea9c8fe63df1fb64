import { sql } from 'drizzle-orm';
import { check, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, timestampColumn, updatedAt, version } from './columns.ts';
import { contacts } from './people.ts';

/*
 * Segments and e-mail campaigns (migration 0023). A segment is a saved filter over contacts'
 * non-personal columns and their consent states, so it holds no personal value. A campaign
 * is staff-written marketing text (subject and bodies: no one's personal data) sent to a
 * segment under one purpose. Its deliveries say, per contact id, what became of that
 * person's message — ids and states only, never an address.
 */

/** Filters of a segment (src/privacy/campaigns/segmentFilters.ts checks them). */
export type SegmentFilterRow = {
  lifecycleStage?: string[];
  ownerId?: string[];
  companyId?: string[];
  source?: string[];
  createdAfter?: string;
  createdBefore?: string;
  consent?: Array<{ purposeKey: string; live: boolean }>;
};

export const segments = pgTable(
  'segments',
  {
    tenantId: tenantId(),
    id: id(),
    name: text('name').notNull(),
    filters: jsonb('filters').$type<SegmentFilterRow>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('segments_name_idx').on(t.tenantId, t.name),
    index('segments_created_idx').on(t.tenantId, t.createdAt, t.id),
  ],
);

export const campaignStatuses = ['draft', 'scheduled', 'sending', 'sent', 'cancelled'] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];

export const campaigns = pgTable(
  'campaigns',
  {
    tenantId: tenantId(),
    id: id(),
    name: text('name').notNull(),
    segmentId: uuid('segment_id').notNull(),
    purposeKey: text('purpose_key').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body'),
    /** Messages per second while sending. */
    ratePerSecond: integer('rate_per_second').notNull(),
    status: text('status').$type<CampaignStatus>().notNull().default('draft'),
    sendAt: timestampColumn('send_at'),
    startedAt: timestampColumn('started_at'),
    finishedAt: timestampColumn('finished_at'),
    cancelledAt: timestampColumn('cancelled_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.segmentId], foreignColumns: [segments.tenantId, segments.id] }),
    check('campaigns_status_check', sql`${t.status} in ('draft', 'scheduled', 'sending', 'sent', 'cancelled')`),
    check('campaigns_rate_check', sql`${t.ratePerSecond} between 1 and 1000`),
    index('campaigns_created_idx').on(t.tenantId, t.createdAt, t.id),
    index('campaigns_segment_idx').on(t.tenantId, t.segmentId),
  ],
);

export const deliveryStates = ['queued', 'sending', 'sent', 'skipped', 'failed'] as const;
export type DeliveryState = (typeof deliveryStates)[number];

/**
 * One row per campaign and contact, written when sending starts (queued). A batch moves its
 * rows to `sending` in a committed transaction before any message leaves, so a retried job
 * never sends one twice: a row it finds `sending` is failed as interrupted, not resent.
 * Erasing or deleting the contact removes its rows (cascade).
 */
export const campaignDeliveries = pgTable(
  'campaign_deliveries',
  {
    tenantId: tenantId(),
    campaignId: uuid('campaign_id').notNull(),
    contactId: uuid('contact_id').notNull(),
    state: text('state').$type<DeliveryState>().notNull().default('queued'),
    /** Why a message was skipped or failed, as a code: no_live_consent, no_address, interrupted, mailer_error. */
    reason: text('reason'),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.campaignId, t.contactId] }),
    foreignKey({ columns: [t.tenantId, t.campaignId], foreignColumns: [campaigns.tenantId, campaigns.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.contactId], foreignColumns: [contacts.tenantId, contacts.id] }).onDelete('cascade'),
    check('campaign_deliveries_state_check', sql`${t.state} in ('queued', 'sending', 'sent', 'skipped', 'failed')`),
    index('campaign_deliveries_state_idx').on(t.tenantId, t.campaignId, t.state, t.contactId),
    index('campaign_deliveries_contact_idx').on(t.tenantId, t.contactId),
  ],
);
