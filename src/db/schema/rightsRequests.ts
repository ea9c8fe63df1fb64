import { boolean, date, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, timestampColumn, updatedAt, version } from './columns.ts';

/*
 * Data-subject rights requests (migration 0029; src/privacy/requests/). `requester_identity` is the
 * requester's e-mail, name and details sealed by the kernel (src/kernel/requestIdentity.ts)
 * under a data key whose subject id is the request id, so it is shredded on its own;
 * `subject_id` is the contact it was matched to (set null when that contact is deleted).
 * Codes and links are stored as keyed hashes only. Reasons are staff text sent to the person.
 */
export const rightsRequests = pgTable(
  'rights_requests',
  {
    tenantId: tenantId(),
    id: id(),
    subjectId: uuid('subject_id'),
    kind: text('kind').notNull(),
    regime: text('regime').notNull(),
    jurisdiction: text('jurisdiction').notNull(),
    timeZone: text('time_zone').notNull(),
    channel: text('channel').notNull(),
    /** An objection's purpose; null objects to all direct marketing. */
    purposeKey: text('purpose_key'),
    state: text('state').notNull().default('received'),
    requesterIdentity: text('requester_identity'),
    /** The blind index of the identity's e-mail (migration 0036; null before it and once the identity is shredded). */
    requesterEmailIndex: text('requester_email_index'),
    receivedAt: timestampColumn('received_at').notNull(),
    receivedOn: date('received_on').notNull(),
    acknowledgeBy: date('acknowledge_by'),
    respondBy: date('respond_by').notNull(),
    extensionNoticeBy: date('extension_notice_by'),
    extendedRespondBy: date('extended_respond_by'),
    extendedAt: timestampColumn('extended_at'),
    extensionReason: text('extension_reason'),
    denialReason: text('denial_reason'),
    denialCode: text('denial_code'),
    withdrawalReason: text('withdrawal_reason'),
    outcome: jsonb('outcome'),
    codeHash: text('code_hash'),
    linkHash: text('link_hash'),
    verificationExpiresAt: timestampColumn('verification_expires_at'),
    verificationAttempts: integer('verification_attempts').notNull().default(0),
    verificationUsedAt: timestampColumn('verification_used_at'),
    verifiedAt: timestampColumn('verified_at'),
    closedAt: timestampColumn('closed_at'),
    remindedAt: timestampColumn('reminded_at'),
    escalatedAt: timestampColumn('escalated_at'),
    /** When staff confirmed receipt to the requester (CCPA: by acknowledge_by; migration 0035). */
    acknowledgedAt: timestampColumn('acknowledged_at'),
    acknowledgeRemindedAt: timestampColumn('acknowledge_reminded_at'),
    acknowledgeEscalatedAt: timestampColumn('acknowledge_escalated_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/** Every transition of a request, in order (also in the audit trail). */
export const rightsRequestEvents = pgTable(
  'rights_request_events',
  {
    tenantId: tenantId(),
    requestId: uuid('request_id').notNull(),
    sequence: integer('sequence').notNull(),
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    reason: text('reason'),
    actor: text('actor').notNull(),
    occurredAt: timestampColumn('occurred_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.requestId, t.sequence] })],
);

/** The holidays business days skip, per jurisdiction; seeded per year, edited by admins (`removed` keeps a deletion). */
export const requestHolidays = pgTable(
  'request_holidays',
  {
    tenantId: tenantId(),
    jurisdiction: text('jurisdiction').notNull(),
    date: date('date').notNull(),
    name: text('name').notNull(),
    removed: boolean('removed').notNull().default(false),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.jurisdiction, t.date] })],
);

/** The years of a jurisdiction already seeded from the computed public holidays. */
export const requestHolidayYears = pgTable(
  'request_holiday_years',
  { tenantId: tenantId(), jurisdiction: text('jurisdiction').notNull(), year: integer('year').notNull() },
  (t) => [primaryKey({ columns: [t.tenantId, t.jurisdiction, t.year] })],
);
