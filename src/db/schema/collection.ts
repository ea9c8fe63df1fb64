import { sql } from 'drizzle-orm';
import { check, index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, timestampColumn } from './columns.ts';

/*
 * Consent-gated collection (POST /api/v1/collect). A form key is public — it sits in a web
 * page — so it is no secret and no credential for anything but submitting that workspace's
 * forms from its allowed origins; it is kept in the clear for admins to copy. The global
 * lookup finds the workspace of a presented key (a request carries no other hint of it).
 */
export const formKeys = pgTable(
  'form_keys',
  {
    tenantId: tenantId(),
    id: id(),
    name: text('name').notNull(),
    /** The current public key, cfk_…; a rotation replaces it and the old one stops working. */
    publicKey: text('public_key').notNull(),
    /** Exact origins (scheme://host[:port]) whose pages may submit with this key. */
    allowedOrigins: text('allowed_origins').array().notNull().default([]),
    /** What to do with a field no purpose whose basis holds is declared for: 422, or store the rest and report it. */
    unneededFields: text('unneeded_fields').$type<'refuse' | 'drop'>().notNull().default('refuse'),
    /** Purposes on a basis other than consent that the form serves (consent purposes count when the person gives consent). */
    purposes: text('purposes').array().notNull().default([]),
    createdAt: createdAt(),
    rotatedAt: timestampColumn('rotated_at'),
    revokedAt: timestampColumn('revoked_at'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    check('form_keys_unneeded_fields_check', sql`${t.unneededFields} in ('refuse', 'drop')`),
    index('form_keys_created_idx').on(t.tenantId, t.createdAt, t.id),
  ],
);

// GLOBAL table: presented public key → its workspace and form key (only live keys are here).
export const formKeyLookup = pgTable('form_key_lookup', {
  publicKey: text('public_key').primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  formKeyId: uuid('form_key_id').notNull(),
});
