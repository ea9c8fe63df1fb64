import type { Role } from '../../shared/roles.ts';

// The demo data set's defaults, in a module of their own so that `candor seed --help` can
// show them without loading the seeders.
export const demoSlug = 'demo';
export const defaultDemoContacts = 2_000;
export const maxDemoContacts = 1_000_000;

/** What each role's key acts for by default: a purpose the role is granted in a new workspace (src/kernel/policy/roleGrants.ts). */
export const defaultPurposeByRole: Record<Role, string> = {
  admin: 'sales',
  privacy_officer: 'sales',
  sales: 'sales',
  support: 'support',
  marketing: 'email_marketing_existing_customers',
  analyst: 'web_analytics',
};
