import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { customFieldDefinitions } from '../../db/schema/index.ts';
import { defaultCatalogDeclarations } from './defaultCatalog.ts';
import { validateCatalog, type Catalog, type FieldDeclaration } from './fieldDeclaration.ts';

// Custom contact fields serve the relationship purposes unless the catalog says otherwise.
const customFieldPurposes = ['sales', 'support', 'order_fulfilment'];

/**
 * The workspace's data catalog: the built-in declarations plus one per contact custom
 * field (its data category comes from the definition). One SELECT.
 */
export async function workspaceCatalog(tx: Executor, tenantId: string): Promise<Catalog> {
  const custom = await tx
    .select({ key: customFieldDefinitions.key, dataCategory: customFieldDefinitions.dataCategory })
    .from(customFieldDefinitions)
    .where(and(eq(customFieldDefinitions.tenantId, tenantId), eq(customFieldDefinitions.object, 'contact')));
  const declarations: FieldDeclaration[] = [
    ...defaultCatalogDeclarations,
    ...custom.map((field): FieldDeclaration => ({
      object: 'contact',
      field: field.key,
      dataCategory: field.dataCategory,
      subject: 'contact',
      sensitivity: 'ordinary',
      purposes: customFieldPurposes,
      encrypted: true,
      lookup: false,
      search: false,
    })),
  ];
  return validateCatalog(declarations);
}
