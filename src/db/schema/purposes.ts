import { integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
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
    // How long a consent to this purpose counts once given or renewed (null: until withdrawn).
    // Not retention: that is how long the data is kept.
    consentValidityDays: integer('consent_validity_days'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.key] })],
);
