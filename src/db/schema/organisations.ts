import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, uuid, foreignKey } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, updatedAt, version } from './columns.ts';
import { users } from './accounts.ts';

// Companies are organisations, not data subjects: their columns hold no personal values.
export const companies = pgTable(
  'companies',
  {
    tenantId: tenantId(),
    id: id(),
    name: text('name').notNull(),
    domain: text('domain'),
    industry: text('industry'),
    phone: text('phone'),
    city: text('city'),
    country: text('country'),
    employeeCount: integer('employee_count'),
    annualRevenueMinor: bigint('annual_revenue_minor', { mode: 'number' }),
    currency: text('currency'),
    ownerId: uuid('owner_id'),
    source: text('source').notNull(),
    externalId: text('external_id'),
    importBatchId: uuid('import_batch_id'),
    custom: jsonb('custom').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.ownerId], foreignColumns: [users.tenantId, users.id] }),
    index('companies_created_idx').on(t.tenantId, t.createdAt, t.id),
    index('companies_updated_idx').on(t.tenantId, t.updatedAt, t.id),
    // The name sort's own key (src/crm/companies/companyService.ts): case-insensitive, byte-wise.
    index('companies_name_sort_idx').on(t.tenantId, sql`lower(${t.name}) collate "C"`, t.id),
    index('companies_domain_idx').on(t.tenantId, t.domain),
    index('companies_import_idx').on(t.tenantId, t.importBatchId),
    index('companies_external_id_idx').on(t.tenantId, t.externalId),
  ],
);

// Custom fields per object; each declares its fideslang data category.
export const customFieldDefinitions = pgTable(
  'custom_field_definitions',
  {
    tenantId: tenantId(),
    object: text('object').notNull(),
    key: text('key').notNull(),
    label: text('label').notNull(),
    type: text('type').notNull(),
    dataCategory: text('data_category').notNull(),
    options: jsonb('options').$type<string[]>(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.object, t.key] })],
);
