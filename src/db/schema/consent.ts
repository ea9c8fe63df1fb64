import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { consentChannels, consentEventStates, liveConsentStates } from '../../shared/consentVocabulary.ts';
import { id, tenantId, timestampColumn } from './columns.ts';

/*
 * The consent ledger (src/kernel/policy/consentLedger.ts). A subject id is a contact's or a
 * visitor's id. Everything the policy filters on is a plain column; the evidence (hashes of
 * address and agent, form id, channel details) is sealed under the subject's key like any
 * personal value, so it becomes unreadable when the subject's key is shredded.
 */

const quoted = (values: readonly string[]) => sql.raw(values.map((value) => `'${value}'`).join(', '));

// Append-only (trigger in migration 0018): what each person said, when, through which channel.
export const consentEvents = pgTable(
  'consent_events',
  {
    tenantId: tenantId(),
    id: id(),
    subjectId: uuid('subject_id').notNull(),
    purposeKey: text('purpose_key').notNull(),
    state: text('state').notNull(),
    recordedAt: timestampColumn('recorded_at').notNull(),
    // Set on given and renewed only: the consent stops counting at this time.
    expiresAt: timestampColumn('expires_at'),
    // The notice in force when the event was recorded (src/kernel/policy/noticeRenewals.ts); null
    // for events from before notices were versioned.
    noticeVersion: integer('notice_version'),
    noticeHash: text('notice_hash'),
    channel: text('channel').notNull(),
    // Sealed under the subject's key (field `consent_evidence:<id>`); null when none was given.
    evidence: text('evidence'),
    // actorKey() of whoever recorded it: user:…, api_key:…, system:….
    actor: text('actor').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    // Migration 0024 adds INCLUDE (state, expires_at, notice_version), which drizzle cannot
    // declare: one subject's latest event before an instant (the check for now when an event
    // was recorded ahead of it, the renewal check of a new event) is read from the index alone.
    index('consent_events_subject_idx').on(t.tenantId, t.subjectId, t.purposeKey, t.recordedAt, t.id),
    // Migration 0027, with the same INCLUDE: a point-in-time check over many subjects reads each
    // subject's latest event at or before the instant in one ordered pass over one purpose.
    index('consent_events_purpose_idx').on(t.tenantId, t.purposeKey, t.subjectId, t.recordedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    check('consent_events_state_check', sql`${t.state} in (${quoted(consentEventStates)})`),
    check('consent_events_channel_check', sql`${t.channel} in (${quoted(consentChannels)})`),
    check('consent_events_expiry_check', sql`${t.expiresAt} is null or ${t.state} in (${quoted(liveConsentStates)})`),
  ],
);

// The latest event per subject and purpose (ties: the larger id), kept in the same transaction
// as each event, so the check for "now" reads one row. given_at is the latest given/renewed time.
export const consentStates = pgTable(
  'consent_states',
  {
    tenantId: tenantId(),
    subjectId: uuid('subject_id').notNull(),
    purposeKey: text('purpose_key').notNull(),
    state: text('state').notNull(),
    givenAt: timestampColumn('given_at'),
    expiresAt: timestampColumn('expires_at'),
    // The latest event's notice version (migration 0024): a material renewal's check reads it here.
    noticeVersion: integer('notice_version'),
    lastEventAt: timestampColumn('last_event_at').notNull(),
    lastEventId: uuid('last_event_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.subjectId, t.purposeKey] }),
    // The expiry job's scan: live states with an expiry.
    index('consent_states_expiry_idx').on(t.tenantId, t.expiresAt).where(sql`state in ('given', 'renewed') and expires_at is not null`),
  ],
);

// Double opt-in (migration 0019, src/kernel/consentRequests.ts): a consent asked for and not yet
// confirmed through the link mailed to the person. Not a ledger event: nothing is live until the
// confirmation appends `given` (consent_event_id) and sets confirmed_at, which makes the link used.
export const consentRequests = pgTable(
  'consent_requests',
  {
    tenantId: tenantId(),
    id: id(),
    subjectId: uuid('subject_id').notNull(),
    purposeKey: text('purpose_key').notNull(),
    // How the request reached Candor (a form, staff, the API); the confirmation's own channel is email_link.
    channel: text('channel').notNull(),
    // Sealed under the subject's key (field `consent_request_evidence:<id>`); null when none was given.
    evidence: text('evidence'),
    // SHA-256 of the link's 256-bit secret (src/shared/oneTimeTokens.ts); the secret is only in the e-mail.
    tokenHash: text('token_hash').notNull(),
    requestedAt: timestampColumn('requested_at').notNull(),
    expiresAt: timestampColumn('expires_at').notNull(),
    confirmedAt: timestampColumn('confirmed_at'),
    consentEventId: uuid('consent_event_id'),
    actor: text('actor').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('consent_requests_subject_idx').on(t.tenantId, t.subjectId, t.purposeKey),
    check('consent_requests_channel_check', sql`${t.channel} in (${quoted(consentChannels)})`),
    check('consent_requests_expiry_check', sql`${t.expiresAt} > ${t.requestedAt}`),
  ],
);
