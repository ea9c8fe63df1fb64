import type { Executor } from '../db/connection.ts';
import { DomainError, type FieldIssue } from '../shared/domainError.ts';
import type { PurposeContext } from './accessContext.ts';
import { appendAudit } from './audit.ts';
import { declarationOf, type Catalog, type CatalogObject } from './catalog/fieldDeclaration.ts';
import { catalogOfJson, declarationRowsJson } from './catalog/workspaceCatalog.ts';
import type { DenyReason } from './policy/decide.ts';
import { permittedFields } from './policy/permittedFields.ts';
import type { PolicyPurpose } from './policy/policyPurpose.ts';
import { requireGrantedPurposeWith } from './policy/purposeGrant.ts';

/*
 * The policy decision every kernel entry takes before it touches personal data, in one
 * place: the role must hold the purpose (403 otherwise, the refusal audited), and of the
 * object's declared fields only those declared for the purpose are opened. Grant and
 * catalog are read once per request: the HTTP layer builds one context object per
 * request, so they are remembered against that object (a WeakMap: they go with it).
 * Kernel functions that change grants or the catalog forget them (forgetCallPolicy).
 */

/** A field left out of a response, and why. */
export type WithheldField = { field: string; reason: DenyReason };

/** What the policy decides for one call on one object, before any subject is looked at. */
export type ObjectPolicy = {
  object: CatalogObject;
  purpose: PolicyPurpose;
  catalog: Catalog;
  /** Fields declared for the purpose: the only ones opened. */
  allowed: string[];
  /** Declared fields the purpose may not use, with their reasons. */
  withheld: WithheldField[];
  /** The moment the subject rules are judged at. */
  now: Date;
};

type GrantAndCatalog = { purpose: PolicyPurpose; catalog: Catalog };

const remembered = new WeakMap<PurposeContext, Promise<GrantAndCatalog>>();

async function loadGrantAndCatalog(executor: Executor, ctx: PurposeContext): Promise<GrantAndCatalog> {
  // One statement for both (the grant is checked before the catalog is used).
  const { purpose, also } = await requireGrantedPurposeWith(executor, ctx, declarationRowsJson(ctx.tenantId));
  return { purpose, catalog: catalogOfJson(also) };
}

function grantAndCatalog(executor: Executor, ctx: PurposeContext): Promise<GrantAndCatalog> {
  const known = remembered.get(ctx);
  if (known) return known;
  const loading = loadGrantAndCatalog(executor, ctx);
  remembered.set(ctx, loading);
  // A refusal is not remembered: the next call asks again (and audits its own refusal).
  loading.catch(() => remembered.delete(ctx));
  return loading;
}

/** Drops what this context remembers: its grant or the workspace catalog changed. */
export function forgetCallPolicy(ctx: PurposeContext): void {
  remembered.delete(ctx);
}

/**
 * The purpose and the column filter for `object`, refusing 403 purpose_not_granted when
 * the role lacks the purpose; the refusal is audited first under `action`. Inside a
 * caller's transaction that entry rolls back with the refusal; reads are called on the
 * database itself, so their refusals stay on the record.
 */
export async function objectPolicy(executor: Executor, ctx: PurposeContext, object: CatalogObject, action: string): Promise<ObjectPolicy> {
  let decided: GrantAndCatalog;
  try {
    decided = await grantAndCatalog(executor, ctx);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'purpose_not_granted') {
      await appendAudit(executor, ctx, { action, object, decision: 'deny', reasons: ['role_not_granted'] });
    }
    throw error;
  }
  const { purpose, catalog } = decided;
  // The grant was checked above (system work acts for a purpose without a role's grant).
  const columns = permittedFields(catalog, object, { grantedPurposes: new Set([purpose.key]) }, purpose);
  const withheld = columns.withheld.flatMap((entry) => entry.reasons.map((reason) => ({ field: entry.field, reason })));
  return { object, purpose, catalog, allowed: columns.allowed, withheld, now: new Date() };
}

/** Maps a stored field name to the caller's (API) name in error messages. */
export type FieldNaming = { fieldName?: (field: string) => string };

/**
 * Refuses fields before a search or write uses them: undeclared in the workspace catalog
 * for the policy's object (422 validation_failed) or not declared for the purpose (403
 * forbidden), naming each.
 */
export function assertFieldsPermitted(policy: ObjectPolicy, fields: Iterable<string>, options: FieldNaming = {}): void {
  const name = options.fieldName ?? ((field: string) => field);
  const undeclared: FieldIssue[] = [];
  const notForPurpose: FieldIssue[] = [];
  const named = new Set<string>();
  for (const field of fields) {
    // Several stored fields may answer to one name (first and last name to a name search).
    if (named.has(name(field))) continue;
    if (!declarationOf(policy.catalog, policy.object, field))
      undeclared.push({ field: name(field), reason: `not declared in the data catalog for ${policy.object}` });
    else if (!policy.allowed.includes(field)) notForPurpose.push({ field: name(field), reason: `not declared for the purpose ${policy.purpose.key}` });
    else continue;
    named.add(name(field));
  }
  if (undeclared.length > 0) {
    throw new DomainError('validation_failed', `Undeclared ${policy.object} field: ${undeclared.map((issue) => issue.field).join(', ')}.`, undeclared);
  }
  if (notForPurpose.length > 0) {
    throw new DomainError(
      'forbidden',
      `The purpose ${policy.purpose.key} may not use: ${notForPurpose.map((issue) => issue.field).join(', ')}.`,
      notForPurpose,
    );
  }
}

/** The policy for a write of `fields` of `object`: the grant, then each field checked as above. */
export async function writePolicy(
  executor: Executor,
  ctx: PurposeContext,
  object: CatalogObject,
  action: string,
  fields: Iterable<string>,
  options: FieldNaming = {},
): Promise<ObjectPolicy> {
  const policy = await objectPolicy(executor, ctx, object, action);
  assertFieldsPermitted(policy, fields, options);
  return policy;
}
