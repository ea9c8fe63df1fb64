import type { Database } from '../../db/connection.ts';
import { createWorkspace, findWorkspaceBySlug } from '../../accounts/workspaces.ts';
import { addUser } from '../../accounts/users.ts';
import type { Role } from '../../accounts/roles.ts';

export const demoSlug = 'demo';
export const demoPassword = 'candor-demo-password';

export const demoUsers: Array<{ email: string; name: string; role: Role }> = [
  { email: 'admin@demo.candor.localhost', name: 'Ada Admin', role: 'admin' },
  { email: 'privacy@demo.candor.localhost', name: 'Priya Privacy', role: 'privacy_officer' },
  { email: 'sales@demo.candor.localhost', name: 'Sam Sales', role: 'sales' },
  { email: 'support@demo.candor.localhost', name: 'Sasha Support', role: 'support' },
  { email: 'marketing@demo.candor.localhost', name: 'Mia Marketing', role: 'marketing' },
  { email: 'analyst@demo.candor.localhost', name: 'Ali Analyst', role: 'analyst' },
];

/** Creates the demo workspace and its users on first start; later starts leave it alone. */
export async function ensureDemoWorkspace(database: Database, options: { log: (line: string) => void }): Promise<void> {
  if (await findWorkspaceBySlug(database.db, demoSlug)) return;
  options.log('Creating the demo workspace…');
  const workspace = await createWorkspace(database.db, { slug: demoSlug, name: 'Demo workspace' });
  for (const user of demoUsers) {
    await addUser(database.db, { tenantId: workspace.id, email: user.email, displayName: user.name, role: user.role, password: demoPassword });
  }
}
