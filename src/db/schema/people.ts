import { sql } from 'drizzle-orm';
import { foreignKey, index, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, timestampColumn, updatedAt, version } from './columns.ts';
import { users } from './accounts.ts';
import { companies } from './organisations.ts';

/*
 * Who is the subject (GDPR "data subject") of each personal value:
 * - A contact is its own subject: every value in contacts.personal is about that contact.
 * - A visitor profile (pseudonymous: a browser's anonymous id) is its own subject until it is
 *   merged into a contact; then its events move to the contact.
 * - A behavioural event's properties belong to the event's contact or visitor.
 * - Free text (activity subject and body) belongs to the record it was written on; the
 *   activity links to each contact it involves, and each of them may see it on access.
 * - Deals, companies, pipelines and purchases hold no personal values of their own; a purchase
 *   links to its contact, and erasing the contact unlinks it.
 *
 * Personal values live only in the `personal` JSONB columns and in `lookup_tokens`, which
 * only src/kernel/ reads or writes. The privacy kernel encrypts them per subject.
 */

export const contacts = pgTable(
  'contacts',
  {
    tenantId: tenantId(),
    id: id(),
    ownerId: uuid('owner_id'),
    companyId: uuid('company_id'),
    lifecycleStage: text('lifecycle_stage').notNull().default('lead'),
    source: text('source').notNull(),
    importBatchId: uuid('import_batch_id'),
    // Blind index (keyed HMAC) of the external id (the id the contact has in the CRM it came
    // from): found exactly without decrypting; the value itself stays sealed in `personal`.
    externalIdIndex: text('external_id_index'),
    personal: jsonb('personal').$type<Record<string, unknown>>().notNull().default({}),
    lastActivityAt: timestampColumn('last_activity_at'),
    // Set when the retention sweep anonymised the contact: no personal value is left (migration 0032).
    anonymisedAt: timestampColumn('anonymised_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.ownerId], foreignColumns: [users.tenantId, users.id] }),
    foreignKey({ columns: [t.tenantId, t.companyId], foreignColumns: [companies.tenantId, companies.id] }),
    index('contacts_created_idx').on(t.tenantId, t.createdAt, t.id),
    index('contacts_updated_idx').on(t.tenantId, t.updatedAt, t.id),
    index('contacts_last_activity_idx').on(t.tenantId, t.lastActivityAt, t.id),
    index('contacts_owner_idx').on(t.tenantId, t.ownerId, t.id),
    index('contacts_company_idx').on(t.tenantId, t.companyId),
    index('contacts_import_idx').on(t.tenantId, t.importBatchId),
    index('contacts_external_id_idx').on(t.tenantId, t.externalIdIndex),
    // The few contacts whose external id still waits for its blind index (stored before the
    // index existed): the start-up backfill reads this instead of scanning every contact.
    index('contacts_external_id_pending_idx').on(t.tenantId, t.id).where(sql`personal ? 'external_id' and external_id_index is null`),
  ],
);

export const visitors = pgTable(
  'visitors',
  {
    tenantId: tenantId(),
    id: id(),
    personal: jsonb('personal').$type<Record<string, unknown>>().notNull().default({}),
    mergedIntoContactId: uuid('merged_into_contact_id'),
    firstSeenAt: timestampColumn('first_seen_at').notNull().defaultNow(),
    lastSeenAt: timestampColumn('last_seen_at').notNull().defaultNow(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.mergedIntoContactId], foreignColumns: [contacts.tenantId, contacts.id] }),
  ],
);

// Exact-match and token-prefix lookups over personal values (normalised e-mail, phone,
// name tokens and their prefixes). The kernel turns `token` into a keyed blind index.
export const lookupTokens = pgTable(
  'lookup_tokens',
  {
    tenantId: tenantId(),
    object: text('object').notNull(),
    field: text('field').notNull(),
    token: text('token').notNull(),
    recordId: uuid('record_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.object, t.field, t.token, t.recordId] }),
    index('lookup_tokens_record_idx').on(t.tenantId, t.object, t.recordId),
  ],
);
