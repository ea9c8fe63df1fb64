import { declaredFields, type Catalog, type CatalogObject } from '../catalog/fieldDeclaration.ts';
import type { FieldReason } from './decide.ts';
import { isDsrFulfilment, type PolicyPurpose } from './policyPurpose.ts';

export type FieldPermission = {
  /** Fields the role may use for the purpose (before subject rules). */
  allowed: string[];
  /** Declared fields of the object it may not, with every reason. */
  withheld: Array<{ field: string; reasons: FieldReason[] }>;
};

/** Column filtering: which declared fields of `object` the role may use for the purpose (all of them for dsr_fulfilment). */
export function permittedFields(
  catalog: Catalog,
  object: CatalogObject,
  role: { grantedPurposes: ReadonlySet<string> },
  purpose: PolicyPurpose,
): FieldPermission {
  const granted = role.grantedPurposes.has(purpose.key);
  // dsr_fulfilment opens every declared field (the declarations' purposes do not bind it).
  const everyField = isDsrFulfilment(purpose);
  const result: FieldPermission = { allowed: [], withheld: [] };
  for (const declaration of declaredFields(catalog, object)) {
    const reasons: FieldReason[] = [];
    if (!granted) reasons.push('role_not_granted');
    if (!everyField && !declaration.purposes.includes(purpose.key)) reasons.push('field_not_declared_for_purpose');
    if (reasons.length === 0) result.allowed.push(declaration.field);
    else result.withheld.push({ field: declaration.field, reasons });
  }
  return result;
}
