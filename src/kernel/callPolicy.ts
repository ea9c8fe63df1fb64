import type { Executor } from '../db/connection.ts';
import { DomainError } from '../shared/domainError.ts';
import type { PurposeContext } from './accessContext.ts';
import { appendAudit } from './audit.ts';
import type { Catalog, CatalogObject } from './catalog/fieldDeclaration.ts';
import { workspaceCatalog } from './catalog/workspaceCatalog.ts';
import type { DenyReason } from './policy/decide.ts';
import { permittedFields } from './policy/permittedFields.ts';
import type { PolicyPurpose } from './policy/policyPurpose.ts';
import { requireGrantedPurpose } from './policy/purposeGrant.ts';

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
  const purpose = await requireGrantedPurpose(executor, ctx);
  return { purpose, catalog: await workspaceCatalog(executor, ctx.tenantId) };
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
