import { sql } from 'drizzle-orm';
import { check, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import type { RetentionAction, RetentionAnchor } from '../../shared/retentionRules.ts';
import { createdAt, tenantId, updatedAt, version } from './columns.ts';
import { workspaces } from './tenancy.ts';

// A purpose is why personal data is processed; every request may name one.
export const purposes = pgTable(
  'purposes',
  {
    tenantId: tenantId().references(() => workspaces.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    description: text('description').notNull(),
    legalBasis: text('legal_basis').notNull(),
    dataUse: text('data_use').notNull(),
    retentionDays: integer('retention_days'),
    // What the retention period counts from, and how it ends (src/shared/retentionRules.ts; migration 0032).
    retentionAnchor: text('retention_anchor').$type<RetentionAnchor>().notNull().default('last_interaction'),
    retentionAction: text('retention_action').$type<RetentionAction>().notNull().default('erase'),
    // How long a consent to this purpose counts once given or renewed (null: until withdrawn).
    // Not retention: that is how long the data is kept.
    consentValidityDays: integer('consent_validity_days'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.key] }),
    check('purposes_retention_anchor_check', sql`${t.retentionAnchor} in ('last_interaction', 'last_purchase', 'consent_withdrawal')`),
    check('purposes_retention_action_check', sql`${t.retentionAction} in ('erase', 'anonymise')`),
  ],
);
