import { usePermission } from '../session/usePermission.ts';

/*
 * The privacy console's pages read the role grants, the catalog and the audit trail: it is shown
 * to the roles that may read all three (admins and privacy officers, docs/roles.md), since every
 * call behind it would be refused to anyone else.
 */
export function useUsesPrivacyConsole(): boolean {
  const readsGrants = usePermission('role_grant:read');
  const readsCatalog = usePermission('catalog:read');
  const readsAudit = usePermission('audit:read');
  return readsGrants && readsCatalog && readsAudit;
}
