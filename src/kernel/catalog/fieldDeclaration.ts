import { DomainError, type FieldIssue } from '../../shared/domainError.ts';
import { dataCategoryProblem } from './fideslang.ts';
import { isSpecialCategory } from './specialCategories.ts';

/*
 * Privacy as code: every personal field of every object is declared here with what it is
 * (a fideslang data category), whose it is, how sensitive it is, which purposes may use
 * it and how the vault stores it. A value for a field that is not declared is refused.
 */

export const catalogObjects = ['contact', 'visitor', 'event', 'activity'] as const;
export type CatalogObject = (typeof catalogObjects)[number];

/** Whose personal data the value is: the contact, the visitor, or the record it was written on. */
export type FieldSubject = 'contact' | 'visitor' | 'record';
/** 'special' is a GDPR Art. 9 special category (health, beliefs, …). */
export type FieldSensitivity = 'ordinary' | 'special';

export type FieldDeclaration = {
  object: CatalogObject;
  field: string;
  /** fideslang data category key, e.g. user.contact.email. */
  dataCategory: string;
  subject: FieldSubject;
  sensitivity: FieldSensitivity;
  /** Keys of the purposes that may use this field. */
  purposes: string[];
  encrypted: boolean;
  /** Exact-match blind index (e-mail, phone). */
  lookup: boolean;
  /** Token-prefix blind index (names). */
  search: boolean;
};

/** Declarations indexed by object and field name. */
export type Catalog = {
  readonly declarations: readonly FieldDeclaration[];
  readonly byObject: ReadonlyMap<CatalogObject, ReadonlyMap<string, FieldDeclaration>>;
};

const fieldNamePattern = /^[a-z][a-z0-9_]{0,62}$/;

/** The problems of a list of declarations; empty when it is a valid catalog. */
export function catalogProblems(declarations: readonly FieldDeclaration[], knownPurposes?: ReadonlySet<string>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  for (const declaration of declarations) {
    const name = `${declaration.object}.${declaration.field}`;
    if (!(catalogObjects as readonly string[]).includes(declaration.object)) issues.push({ field: name, reason: 'unknown object' });
    if (!fieldNamePattern.test(declaration.field)) issues.push({ field: name, reason: 'field names are snake_case, at most 63 characters' });
    if (seen.has(name)) issues.push({ field: name, reason: 'declared twice' });
    seen.add(name);
    const categoryProblem = dataCategoryProblem(declaration.dataCategory);
    if (categoryProblem) issues.push({ field: name, reason: `dataCategory: ${categoryProblem}` });
    if (!['contact', 'visitor', 'record'].includes(declaration.subject)) issues.push({ field: name, reason: 'unknown subject' });
    if (!['ordinary', 'special'].includes(declaration.sensitivity)) issues.push({ field: name, reason: 'sensitivity is ordinary or special' });
    else if (declaration.sensitivity !== 'special' && isSpecialCategory(declaration.dataCategory)) {
      issues.push({ field: name, reason: `sensitivity: ${declaration.dataCategory} is a GDPR Art. 9 special category, so the field is special` });
    }
    if (new Set(declaration.purposes).size !== declaration.purposes.length) issues.push({ field: name, reason: 'a purpose is listed twice' });
    for (const purpose of declaration.purposes) {
      if (knownPurposes && !knownPurposes.has(purpose)) issues.push({ field: name, reason: `unknown purpose ${purpose}` });
    }
    // A blind index of a plaintext column would be pointless; the vault indexes what it encrypts.
    if ((declaration.lookup || declaration.search) && !declaration.encrypted) {
      issues.push({ field: name, reason: 'lookup and search indexes are only for encrypted fields' });
    }
  }
  return issues;
}

/** Validates declarations and indexes them; throws validation_failed naming every problem. */
export function validateCatalog(declarations: readonly FieldDeclaration[], knownPurposes?: ReadonlySet<string>): Catalog {
  const issues = catalogProblems(declarations, knownPurposes);
  if (issues.length > 0) throw new DomainError('validation_failed', 'The data catalog is invalid.', issues);
  const byObject = new Map<CatalogObject, Map<string, FieldDeclaration>>();
  for (const object of catalogObjects) byObject.set(object, new Map());
  for (const declaration of declarations) byObject.get(declaration.object)!.set(declaration.field, declaration);
  return { declarations: [...declarations], byObject };
}

export function declarationOf(catalog: Catalog, object: CatalogObject, field: string): FieldDeclaration | undefined {
  return catalog.byObject.get(object)?.get(field);
}

export function declaredFields(catalog: Catalog, object: CatalogObject): FieldDeclaration[] {
  return [...(catalog.byObject.get(object)?.values() ?? [])];
}

/**
 * Refuses (422 validation_failed) a write or read naming a field the catalog does not
 * declare for the object: nothing undeclared is ever stored. Issues name the fields, never values.
 */
export function assertDeclared(catalog: Catalog, object: CatalogObject, fields: Iterable<string>): void {
  const issues: FieldIssue[] = [];
  for (const field of fields) {
    if (!declarationOf(catalog, object, field)) issues.push({ field, reason: `not declared in the data catalog for ${object}` });
  }
  if (issues.length > 0) {
    throw new DomainError('validation_failed', `Undeclared ${object} field: ${issues.map((issue) => issue.field).join(', ')}.`, issues);
  }
}
