import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { defaultCatalogDeclarations } from './defaultCatalog.ts';
import { validateCatalog, type Catalog, type CatalogObject, type FieldDeclaration, type FieldSensitivity, type FieldSubject } from './fieldDeclaration.ts';
import { isSpecialCategory } from './specialCategories.ts';
import { rowsOf } from '../../db/rows.ts';

// Custom contact fields serve the relationship purposes until the workspace says otherwise.
const customFieldPurposes = ['sales', 'support', 'order_fulfilment'];

/** Where a declaration comes from: shipped with Candor, or derived from a contact custom field. */
export type DeclarationOrigin = 'built_in' | 'custom_field';

export type WorkspaceDeclaration = {
  declaration: FieldDeclaration;
  origin: DeclarationOrigin;
  /** When the workspace last changed this declaration; null while it is the default. */
  changedAt: Date | null;
};

type DeclarationRow = {
  source: 'stored' | 'custom';
  object: string;
  field: string;
  data_category: string;
  subject: string | null;
  sensitivity: string | null;
  purposes: string[] | null;
  encrypted: boolean;
  lookup: boolean;
  search: boolean;
  at: Date | string;
};

const builtInKey = (object: string, field: string) => `${object}.${field}`;
const builtIns = new Map(defaultCatalogDeclarations.map((declaration) => [builtInKey(declaration.object, declaration.field), declaration]));

/** The declaration a contact custom field gets until the workspace changes it. */
export function customFieldDeclaration(field: string, dataCategory: string): FieldDeclaration {
  return {
    object: 'contact',
    field,
    dataCategory,
    subject: 'contact',
    // Art. 9 data is special whatever the definition says; fideslang's key decides.
    sensitivity: isSpecialCategory(dataCategory) ? 'special' : 'ordinary',
    purposes: customFieldPurposes,
    encrypted: true,
    lookup: false,
    search: false,
  };
}

const storedDeclaration = (row: DeclarationRow): FieldDeclaration => ({
  object: row.object as CatalogObject,
  field: row.field,
  dataCategory: row.data_category,
  subject: row.subject as FieldSubject,
  sensitivity: row.sensitivity as FieldSensitivity,
  purposes: row.purposes ?? [],
  encrypted: row.encrypted,
  lookup: row.lookup,
  search: row.search,
});

/**
 * Every declaration of the workspace, in catalog order: the built-in defaults, then the
 * contact custom fields, each replaced by the workspace's stored declaration when it has
 * one. One SELECT. A stored declaration of a custom field counts only while that field
 * exists and was not re-created after the change (a new field starts from its definition).
 */
export async function workspaceDeclarations(tx: Executor, tenantId: string): Promise<WorkspaceDeclaration[]> {
  return declarationsOfRows(rowsOf<DeclarationRow>(await tx.execute(sql`${declarationRowsQuery(tenantId)} order by 1, 2, 3`)));
}

/** The rows workspaceDeclarations reads: the stored declarations and the contact custom fields. */
const declarationRowsQuery = (tenantId: string) => sql`
    select 'stored' as source, object, field, data_category, subject, sensitivity, purposes, encrypted, lookup, search, updated_at as at
      from catalog_declarations where tenant_id = ${tenantId}::uuid
    union all
    select 'custom', 'contact', key, data_category, null, null, null, true, false, false, created_at
      from custom_field_definitions where tenant_id = ${tenantId}::uuid and object = 'contact'`;

/** Those rows as one json array in the same order, for a statement that reads them beside something else (catalogOfJson). */
export const declarationRowsJson = (tenantId: string) =>
  sql`(select json_agg(d order by d.source, d.object, d.field) from (${declarationRowsQuery(tenantId)}) d)`;

/** The catalog from declarationRowsJson's value (null: no rows). */
export const catalogOfJson = (rows: unknown) => validateCatalog(declarationsOfRows((rows ?? []) as DeclarationRow[]).map((entry) => entry.declaration));

function declarationsOfRows(rows: readonly DeclarationRow[]): WorkspaceDeclaration[] {
  const stored = new Map(rows.filter((row) => row.source === 'stored').map((row) => [builtInKey(row.object, row.field), row]));
  const entries: WorkspaceDeclaration[] = [];
  const place = (fallback: FieldDeclaration, origin: DeclarationOrigin, notBefore: Date | null) => {
    const own = stored.get(builtInKey(fallback.object, fallback.field));
    const changedAt = own ? new Date(own.at) : null;
    if (own && changedAt && (!notBefore || changedAt >= notBefore)) entries.push({ declaration: storedDeclaration(own), origin, changedAt });
    else entries.push({ declaration: fallback, origin, changedAt: null });
  };
  for (const declaration of builtIns.values()) place(declaration, 'built_in', null);
  for (const row of rows) {
    // A custom key can never shadow a built-in field (custom field definitions refuse it).
    if (row.source === 'custom' && !builtIns.has(builtInKey('contact', row.field))) {
      place(customFieldDeclaration(row.field, row.data_category), 'custom_field', new Date(row.at));
    }
  }
  return entries;
}

/** The workspace's data catalog (built-ins and contact custom fields, as the workspace declared them), validated. One SELECT. */
export async function workspaceCatalog(tx: Executor, tenantId: string): Promise<Catalog> {
  return validateCatalog((await workspaceDeclarations(tx, tenantId)).map((entry) => entry.declaration));
}
