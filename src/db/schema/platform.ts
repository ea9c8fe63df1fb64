import { boolean, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { bytea, createdAt, id, tenantId, timestampColumn, version } from './columns.ts';

// Idempotency records keep the outcome (status and record id), never the response body:
// a replay re-reads the record, so no personal value is copied here. The request itself is
// kept only as a keyed fingerprint (HMAC under a workspace key in the key store, see
// src/platform/idempotency.ts), so a database copy cannot test a guessed body against it;
// records are pruned once their window has passed (src/jobs/maintenanceJobs.ts).
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    tenantId: tenantId(),
    key: text('key').notNull(),
    actor: text('actor').notNull(),
    method: text('method').notNull(),
    route: text('route').notNull(),
    requestFingerprint: text('request_fingerprint').notNull(),
    state: text('state').notNull().default('in_progress'),
    statusCode: integer('status_code'),
    recordId: uuid('record_id'),
    // A batch request's per-item outcome (indexes, statuses, ids, problems): no personal values.
    result: jsonb('result'),
    createdAt: createdAt(),
    completedAt: timestampColumn('completed_at'),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.key] })],
);

export const webhookSubscriptions = pgTable(
  'webhook_subscriptions',
  {
    tenantId: tenantId(),
    id: id(),
    url: text('url').notNull(),
    secret: text('secret').notNull(),
    eventTypes: text('event_types').array().notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    version: version(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

// Thin payloads only: ids, event type and names of changed fields.
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    tenantId: tenantId(),
    id: id(),
    subscriptionId: uuid('subscription_id').notNull(),
    eventType: text('event_type').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status').notNull().default('pending'),
    attemptCount: integer('attempt_count').notNull().default(0),
    createdAt: createdAt(),
    deliveredAt: timestampColumn('delivered_at'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.subscriptionId], foreignColumns: [webhookSubscriptions.tenantId, webhookSubscriptions.id] }).onDelete('cascade'),
    index('webhook_deliveries_subscription_created_idx').on(t.tenantId, t.subscriptionId, t.createdAt, t.id),
  ],
);

export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    tenantId: tenantId(),
    deliveryId: uuid('delivery_id').notNull(),
    attemptNumber: integer('attempt_number').notNull(),
    attemptedAt: timestampColumn('attempted_at').notNull().defaultNow(),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.deliveryId, t.attemptNumber] }),
    foreignKey({ columns: [t.tenantId, t.deliveryId], foreignColumns: [webhookDeliveries.tenantId, webhookDeliveries.id] }).onDelete('cascade'),
  ],
);

/** How a queued import (POST /imports?background=true) is to run; header names and ids, no cell values. */
export type ImportBatchOptions = {
  skipInvalid: boolean;
  /** Header → Candor field, or null to ignore the column. */
  overrides: Record<string, string | null>;
  matchOn: 'email' | 'externalId' | 'domain' | null;
  /** The user who owns records whose row names none. */
  ownerId: string | null;
  /** Where the file's consents were collected, and their date for rows that name none (ISO 8601). */
  consentSource?: string | null;
  consentDate?: string | null;
};

export const importBatches = pgTable(
  'import_batches',
  {
    tenantId: tenantId(),
    id: id(),
    object: text('object').notNull(),
    /** queued → running → staged → published, or failed; published → undone (src/crm/import/importBatches.ts). */
    status: text('status').notNull().default('running'),
    totalRows: integer('total_rows').notNull().default(0),
    /** Data rows in the file, counted before staging so progress has a total; null until known. */
    rowCount: integer('row_count'),
    importedRows: integer('imported_rows').notNull().default(0),
    /** create: every row makes a record; upsert: a row matching an existing record (matchOn) updates it. */
    mode: text('mode').notNull().default('create'),
    /** Existing records the batch updated (upsert mode); undo keeps them and says so. */
    updatedRows: integer('updated_rows').notNull().default(0),
    /** Consent ledger events the file's consent columns recorded (migration 0025). */
    consentEvents: integer('consent_events').notNull().default(0),
    /** Of those, consents already expired by their date (older than the purpose's consent validity). */
    expiredConsents: integer('expired_consents').notNull().default(0),
    skippedRows: integer('skipped_rows').notNull().default(0),
    skipped: jsonb('skipped').$type<Array<{ line: number; field: string; reason: string }>>().notNull().default([]),
    /** The uploaded file's name as the client gave it (shown in the list of imports). */
    fileName: text('file_name'),
    /** The purpose the import's request named (null: the import's default, sales). */
    purpose: text('purpose'),
    /** A queued import's options, read by the job that runs it. */
    options: jsonb('options').$type<ImportBatchOptions>(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    /** Touched by every staging step; a batch still staging long after it is abandoned. */
    updatedAt: timestampColumn('updated_at').notNull().defaultNow(),
    publishedAt: timestampColumn('published_at'),
    undoneAt: timestampColumn('undone_at'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    // GET /imports: a workspace's imports newest first, by keyset.
    index('import_batches_created_idx').on(t.tenantId, t.createdAt, t.id),
  ],
);

// A queued import's file, sealed by the kernel under a data key of its own (subject = the
// batch id) in parts, until the job that stages it is done: then the rows are deleted and
// the key shredded, so no copy of the file outlives the import's next epoch advance.
export const importUploads = pgTable(
  'import_uploads',
  {
    tenantId: tenantId(),
    batchId: uuid('batch_id').notNull(),
    part: integer('part').notNull(),
    sealed: bytea('sealed').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.batchId, t.part] }),
    foreignKey({ columns: [t.tenantId, t.batchId], foreignColumns: [importBatches.tenantId, importBatches.id] }).onDelete('cascade'),
  ],
);

// Staged import rows are personal data until published or discarded; only the kernel
// reads or writes `personal`. `record_id` is the id the published record will get, so the
// kernel can already protect staged values for that subject; `attributes` holds the row's
// non-personal values (owner, stage, company link, creation time, company columns).
export const importStaging = pgTable(
  'import_staging',
  {
    tenantId: tenantId(),
    batchId: uuid('batch_id').notNull(),
    lineNumber: integer('line_number').notNull(),
    recordId: uuid('record_id').notNull(),
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default({}),
    personal: jsonb('personal').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.batchId, t.lineNumber] }),
    foreignKey({ columns: [t.tenantId, t.batchId], foreignColumns: [importBatches.tenantId, importBatches.id] }).onDelete('cascade'),
  ],
);

// GLOBAL table, demo mode only: outgoing mail kept for /dev/mail when no SMTP is set.
export const devMailbox = pgTable('dev_mailbox', {
  id: uuid('id').primaryKey(),
  recipient: text('recipient').notNull(),
  subject: text('subject').notNull(),
  textBody: text('text_body').notNull(),
  createdAt: createdAt(),
});
