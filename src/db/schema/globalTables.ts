// The exceptions to "tenant_id leads every key": tables that are not owned by one
// workspace. A test checks that every other table leads its primary key, indexes and
// foreign keys with tenant_id. (pg-boss keeps its own schema, `pgboss`, and drizzle its
// migrations table in `drizzle`; both are global too.)
export const globalTables = [
  'workspaces',
  'api_key_lookup',
  'form_key_lookup',
  'rate_limit_buckets',
  'dev_mailbox',
  'drp_agent_lookup',
  'drp_business_lookup',
] as const;
