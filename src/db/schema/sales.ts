import { sql } from 'drizzle-orm';
import { boolean, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, minorUnits, tenantId, timestampColumn, updatedAt, version } from './columns.ts';
import { users } from './accounts.ts';
import { companies } from './organisations.ts';
import { contacts } from './people.ts';

export const pipelines = pgTable(
  'pipelines',
  {
    tenantId: tenantId(),
    id: id(),
    name: text('name').notNull(),
    isDefault: boolean('is_default').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const pipelineStages = pgTable(
  'pipeline_stages',
  {
    tenantId: tenantId(),
    id: id(),
    pipelineId: uuid('pipeline_id').notNull(),
    name: text('name').notNull(),
    position: integer('position').notNull(),
    probability: integer('probability').notNull().default(0),
    outcome: text('outcome').notNull().default('open'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.pipelineId], foreignColumns: [pipelines.tenantId, pipelines.id] }).onDelete('cascade'),
    index('pipeline_stages_order_idx').on(t.tenantId, t.pipelineId, t.position),
  ],
);

export const deals = pgTable(
  'deals',
  {
    tenantId: tenantId(),
    id: id(),
    pipelineId: uuid('pipeline_id').notNull(),
    stageId: uuid('stage_id').notNull(),
    name: text('name').notNull(),
    amountMinor: minorUnits('amount_minor'),
    currency: text('currency'),
    companyId: uuid('company_id'),
    ownerId: uuid('owner_id'),
    expectedCloseDate: date('expected_close_date'),
    closedAt: timestampColumn('closed_at'),
    custom: jsonb('custom').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.pipelineId], foreignColumns: [pipelines.tenantId, pipelines.id] }),
    foreignKey({ columns: [t.tenantId, t.stageId], foreignColumns: [pipelineStages.tenantId, pipelineStages.id] }),
    foreignKey({ columns: [t.tenantId, t.companyId], foreignColumns: [companies.tenantId, companies.id] }),
    foreignKey({ columns: [t.tenantId, t.ownerId], foreignColumns: [users.tenantId, users.id] }),
    index('deals_created_idx').on(t.tenantId, t.createdAt, t.id),
    index('deals_stage_idx').on(t.tenantId, t.stageId, t.id),
    index('deals_amount_idx').on(t.tenantId, t.amountMinor, t.id),
    index('deals_updated_idx').on(t.tenantId, t.updatedAt, t.id),
    index('deals_expected_close_idx').on(t.tenantId, t.expectedCloseDate, t.id),
  ],
);

export const dealContacts = pgTable(
  'deal_contacts',
  {
    tenantId: tenantId(),
    dealId: uuid('deal_id').notNull(),
    contactId: uuid('contact_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.dealId, t.contactId] }),
    foreignKey({ columns: [t.tenantId, t.dealId], foreignColumns: [deals.tenantId, deals.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.contactId], foreignColumns: [contacts.tenantId, contacts.id] }).onDelete('cascade'),
    index('deal_contacts_contact_idx').on(t.tenantId, t.contactId),
  ],
);

// Notes, calls, e-mails, meetings and tasks. Subject and body are free text and live in
// `content`, which only the kernel reads or writes.
export const activities = pgTable(
  'activities',
  {
    tenantId: tenantId(),
    id: id(),
    type: text('type').notNull(),
    content: jsonb('content').$type<Record<string, unknown>>().notNull().default({}),
    occurredAt: timestampColumn('occurred_at').notNull().defaultNow(),
    dueAt: timestampColumn('due_at'),
    completedAt: timestampColumn('completed_at'),
    assigneeId: uuid('assignee_id'),
    ownerId: uuid('owner_id'),
    // Set when an erasure removed one of its links and others remain: a person should check
    // that its text says nothing more of the erased person (migration 0026).
    reviewReason: text('review_reason'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('activities_review_idx').on(t.tenantId, t.id).where(sql`review_reason is not null`),
    foreignKey({ columns: [t.tenantId, t.assigneeId], foreignColumns: [users.tenantId, users.id] }),
    foreignKey({ columns: [t.tenantId, t.ownerId], foreignColumns: [users.tenantId, users.id] }),
    index('activities_occurred_idx').on(t.tenantId, t.occurredAt, t.id),
    index('activities_due_idx').on(t.tenantId, t.assigneeId, t.dueAt),
    index('activities_due_sort_idx').on(t.tenantId, t.dueAt, t.id),
    index('activities_created_idx').on(t.tenantId, t.createdAt, t.id),
  ],
);

export const activityLinks = pgTable(
  'activity_links',
  {
    tenantId: tenantId(),
    activityId: uuid('activity_id').notNull(),
    object: text('object').notNull(),
    recordId: uuid('record_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.activityId, t.object, t.recordId] }),
    foreignKey({ columns: [t.tenantId, t.activityId], foreignColumns: [activities.tenantId, activities.id] }).onDelete('cascade'),
    index('activity_links_record_idx').on(t.tenantId, t.object, t.recordId),
  ],
);
