import { foreignKey, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, minorUnits, tenantId, timestampColumn, updatedAt, version } from './columns.ts';
import { companies } from './organisations.ts';
import { contacts } from './people.ts';

// Orders: amounts in minor units of an ISO 4217 currency.
export const purchases = pgTable(
  'purchases',
  {
    tenantId: tenantId(),
    id: id(),
    contactId: uuid('contact_id'),
    companyId: uuid('company_id'),
    orderNumber: text('order_number').notNull(),
    status: text('status').notNull().default('completed'),
    currency: text('currency').notNull(),
    totalMinor: minorUnits('total_minor').notNull(),
    purchasedAt: timestampColumn('purchased_at').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.contactId], foreignColumns: [contacts.tenantId, contacts.id] }),
    foreignKey({ columns: [t.tenantId, t.companyId], foreignColumns: [companies.tenantId, companies.id] }),
    index('purchases_purchased_idx').on(t.tenantId, t.purchasedAt, t.id),
    index('purchases_total_idx').on(t.tenantId, t.totalMinor, t.id),
    index('purchases_created_idx').on(t.tenantId, t.createdAt, t.id),
    index('purchases_contact_idx').on(t.tenantId, t.contactId),
    // Order numbers come from the shop system; one order number is one order per workspace.
    uniqueIndex('purchases_order_number_idx').on(t.tenantId, t.orderNumber),
  ],
);

export const purchaseLines = pgTable(
  'purchase_lines',
  {
    tenantId: tenantId(),
    purchaseId: uuid('purchase_id').notNull(),
    lineNumber: integer('line_number').notNull(),
    sku: text('sku'),
    name: text('name').notNull(),
    quantity: integer('quantity').notNull(),
    unitPriceMinor: minorUnits('unit_price_minor').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.purchaseId, t.lineNumber] }),
    foreignKey({ columns: [t.tenantId, t.purchaseId], foreignColumns: [purchases.tenantId, purchases.id] }).onDelete('cascade'),
  ],
);
