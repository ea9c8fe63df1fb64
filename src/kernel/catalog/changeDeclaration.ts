import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { catalogDeclarations, purposes } from '../../db/schema/index.ts';
import { DomainError, type FieldIssue } from '../../shared/domainError.ts';
import type { AccessContext } from '../accessContext.ts';
import { appendAudit } from '../audit.ts';
import { catalogProblems, type CatalogObject, type FieldDeclaration } from './fieldDeclaration.ts';
import { dataCategoryProblem } from './fideslang.ts';
import { isSpecialCategory } from './specialCategories.ts';
import { settingsDiff } from './settingsDiff.ts';
import { storageProblems } from './storageSupport.ts';
import { workspaceDeclarations, type WorkspaceDeclaration } from './workspaceCatalog.ts';

/** The settings of a declaration a workspace may change; omitted ones keep their value. */
export const changeableSettings = ['dataCategory', 'sensitivity', 'purposes', 'encrypted', 'lookup', 'search'] as const;
type ChangeableSetting = (typeof changeableSettings)[number];
export type DeclarationChange = Partial<Pick<FieldDeclaration, ChangeableSetting>>;

async function workspacePurposeKeys(tx: Executor, tenantId: string, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await tx
    .select({ key: purposes.key })
    .from(purposes)
    .where(and(eq(purposes.tenantId, tenantId), inArray(purposes.key, [...keys])));
  return new Set(rows.map((row) => row.key));
}

/** The declaration after the change: a new special-category data category makes the field special. */
function applyChange(current: FieldDeclaration, change: DeclarationChange): FieldDeclaration {
  const next = { ...current, ...change };
  if (change.dataCategory !== undefined && change.sensitivity === undefined && isSpecialCategory(change.dataCategory)) next.sensitivity = 'special';
  return next;
}

/** What is wrong with the changed declaration, each issue naming the setting (the request body's field). */
function changeProblems(next: FieldDeclaration, knownPurposes: ReadonlySet<string>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const categoryProblem = dataCategoryProblem(next.dataCategory);
  if (categoryProblem) issues.push({ field: 'dataCategory', reason: categoryProblem });
  else if (next.sensitivity !== 'special' && isSpecialCategory(next.dataCategory)) {
    issues.push({ field: 'sensitivity', reason: `${next.dataCategory} is a GDPR Art. 9 special category, so the field must be special` });
  }
  if (new Set(next.purposes).size !== next.purposes.length) issues.push({ field: 'purposes', reason: 'a purpose is listed twice' });
  const unknown = next.purposes.filter((purpose) => !knownPurposes.has(purpose));
  if (unknown.length > 0)
    issues.push({ field: 'purposes', reason: `not a purpose of this workspace: ${unknown.join(', ')} (GET /api/v1/purposes lists them)` });
  for (const problem of storageProblems(next)) issues.push({ field: problem.setting, reason: problem.reason });
  return issues;
}

/**
 * Changes how the workspace declares one personal field, validated against fideslang, the
 * workspace's purposes and what the vault can store; audited in the same transaction
 * (setting names and before/after settings, never values). Changes of one workspace's
 * catalog are serialised so two partial changes of a field cannot lose each other.
 */
export async function changeDeclaration(
  tx: Executor,
  ctx: AccessContext,
  object: CatalogObject,
  field: string,
  change: DeclarationChange,
): Promise<WorkspaceDeclaration> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`catalog:${ctx.tenantId}`}, 0))`);
  const current = (await workspaceDeclarations(tx, ctx.tenantId)).find((entry) => entry.declaration.object === object && entry.declaration.field === field);
  if (!current) {
    throw new DomainError('validation_failed', `${object}.${field} is not declared in the data catalog.`, [
      { field, reason: `not declared in the data catalog for ${object}; a contact custom field (POST /api/v1/custom-fields) declares a new one` },
    ]);
  }
  const next = applyChange(current.declaration, change);
  const issues = changeProblems(next, await workspacePurposeKeys(tx, ctx.tenantId, next.purposes));
  if (issues.length > 0) throw new DomainError('validation_failed', issues.map((issue) => `${issue.field}: ${issue.reason}`).join('; '), issues);
  // Every rule of the catalog still holds (the checks above name the settings; this is the backstop).
  const remaining = catalogProblems([next]);
  if (remaining.length > 0) throw new DomainError('validation_failed', 'The changed declaration is invalid.', remaining);

  const { changed, detail } = settingsDiff(current.declaration, next, changeableSettings);
  if (changed.length === 0) return current;
  const changedAt = new Date();
  const row = { ...next, tenantId: ctx.tenantId, updatedAt: changedAt };
  await tx
    .insert(catalogDeclarations)
    .values(row)
    .onConflictDoUpdate({ target: [catalogDeclarations.tenantId, catalogDeclarations.object, catalogDeclarations.field], set: row });
  await appendAudit(tx, ctx, { action: 'catalog.changed', object, fields: [field], detail });
  return { declaration: next, origin: current.origin, changedAt };
}
