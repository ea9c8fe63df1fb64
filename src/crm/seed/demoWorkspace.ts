import type { Database } from '../../db/connection.ts';
import { createWorkspace, findWorkspaceBySlug, type Workspace } from '../../accounts/workspaces.ts';
import { addUser, findUserByEmail } from '../../accounts/users.ts';
import type { Role } from '../../shared/roles.ts';
import { demoSlug } from './demoDefaults.ts';
import { defaultDemoContacts, seedPhases, seedWorkspace, type SeedOptions, type SeedResult } from './seedWorkspace.ts';

export { demoSlug };
export const demoPassword = 'candor-demo-password';

export const demoUsers: Array<{ email: string; name: string; role: Role }> = [
  { email: 'admin@demo.candor.localhost', name: 'Ada Admin', role: 'admin' },
  { email: 'privacy@demo.candor.localhost', name: 'Priya Privacy', role: 'privacy_officer' },
  { email: 'sales@demo.candor.localhost', name: 'Sam Sales', role: 'sales' },
  { email: 'support@demo.candor.localhost', name: 'Sasha Support', role: 'support' },
  { email: 'marketing@demo.candor.localhost', name: 'Mia Marketing', role: 'marketing' },
  { email: 'analyst@demo.candor.localhost', name: 'Ali Analyst', role: 'analyst' },
];

export type DemoWorkspaceOptions = {
  log: (line: string) => void;
  /** Workspace slug; `demo` unless the CLI names another. */
  slug?: string;
  /** Contacts to seed (with companies, deals, … in proportion); `serve --demo` uses the default. */
  contacts?: number;
  progress?: SeedOptions['progress'];
};

/** Creates the workspace and any missing demo user (password: demoPassword). */
async function ensureWorkspaceAndUsers(database: Database, slug: string, log: (line: string) => void): Promise<Workspace> {
  let workspace = await findWorkspaceBySlug(database.db, slug);
  if (!workspace) {
    log(`Creating the demo workspace "${slug}"…`);
    workspace = await createWorkspace(database.db, { slug, name: slug === demoSlug ? 'Demo workspace' : `Demo workspace (${slug})` });
  }
  for (const user of demoUsers) {
    if (await findUserByEmail(database.db, workspace.id, user.email)) continue;
    await addUser(database.db, { tenantId: workspace.id, email: user.email, displayName: user.name, role: user.role, password: demoPassword });
  }
  return workspace;
}

export function describeSeedResult(result: SeedResult): string {
  const added = seedPhases.map((phase) => `${result[phase].added} ${phase}`).join(', ');
  const nothing = seedPhases.every((phase) => result[phase].added === 0);
  return nothing ? 'the demo data was already complete; nothing added' : `added ${added}`;
}

/**
 * Makes sure the demo workspace exists with its users and demo data. Safe to run at every
 * start: records that exist are left alone (see seedWorkspace.ts), so a second run adds
 * nothing and an interrupted one is completed.
 */
export async function ensureDemoWorkspace(database: Database, options: DemoWorkspaceOptions): Promise<{ workspace: Workspace; result: SeedResult }> {
  const workspace = await ensureWorkspaceAndUsers(database, options.slug ?? demoSlug, options.log);
  const contacts = options.contacts ?? defaultDemoContacts;
  const startedAt = Date.now();
  const result = await seedWorkspace(database, workspace, { contacts, progress: options.progress });
  options.log(`Demo data for ${contacts} contacts in "${workspace.slug}": ${describeSeedResult(result)} (${((Date.now() - startedAt) / 1000).toFixed(1)} s).`);
  return { workspace, result };
}
