import { foreignKey, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { bytea, createdAt, id, tenantId, timestampColumn } from './columns.ts';
import { contacts } from './people.ts';

/*
 * Access exports (GDPR Art. 15 and 20): a copy of everything held on one contact, built by
 * the `access-export` job (src/privacy/accessExports/). The row holds no personal value:
 * format, state, progress and who asked. The file is personal data as a whole: the kernel
 * seals it under the contact's own key (access_export_files), so erasing the contact
 * shreds it with everything else; deleting the contact deletes both.
 */
export const accessExports = pgTable(
  'access_exports',
  {
    tenantId: tenantId(),
    id: id(),
    contactId: uuid('contact_id').notNull(),
    format: text('format').notNull(),
    /** queued → running → ready | failed. */
    status: text('status').notNull().default('queued'),
    /** 0–100, with the step running. */
    progress: integer('progress').notNull().default(0),
    step: text('step'),
    /** actorKey() of who asked (user:…, api_key:…, system:…). */
    requestedBy: text('requested_by').notNull(),
    /** The rights request it answers, when one does (no foreign key: requests outlive exports). */
    requestId: uuid('request_id'),
    fileName: text('file_name'),
    contentType: text('content_type'),
    byteSize: integer('byte_size'),
    /** Why it failed: an error code, never personal data. */
    error: text('error'),
    createdAt: createdAt(),
    completedAt: timestampColumn('completed_at'),
    /** When the file stops being downloadable (and may be deleted). */
    expiresAt: timestampColumn('expires_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.contactId], foreignColumns: [contacts.tenantId, contacts.id] }).onDelete('cascade'),
    index('access_exports_contact_idx').on(t.tenantId, t.contactId, t.createdAt),
  ],
);

// The sealed file of an export, in parts; only the kernel reads or writes it.
export const accessExportFiles = pgTable(
  'access_export_files',
  {
    tenantId: tenantId(),
    exportId: uuid('export_id').notNull(),
    part: integer('part').notNull(),
    sealed: bytea('sealed').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.exportId, t.part] }),
    foreignKey({ columns: [t.tenantId, t.exportId], foreignColumns: [accessExports.tenantId, accessExports.id] }).onDelete('cascade'),
  ],
);

// Download links: one export each, short-lived and single-use; only the SHA-256 of the secret is stored.
export const accessExportLinks = pgTable(
  'access_export_links',
  {
    tenantId: tenantId(),
    id: id(),
    exportId: uuid('export_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    expiresAt: timestampColumn('expires_at').notNull(),
    usedAt: timestampColumn('used_at'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.exportId], foreignColumns: [accessExports.tenantId, accessExports.id] }).onDelete('cascade'),
    index('access_export_links_export_idx').on(t.tenantId, t.exportId),
  ],
);
