import { demoUsers, ensureDemoWorkspace } from '../../crm/seed/demoWorkspace.ts';
import type { Database } from '../../db/connection.ts';
import type { CommandContext } from '../cliDatabase.ts';
import { createProgressBar } from '../progressBar.ts';

export async function seedDemo(database: Database, context: CommandContext, options: { workspace: string; contacts: number }): Promise<void> {
  const { workspace } = await ensureDemoWorkspace(database, {
    slug: options.workspace,
    contacts: options.contacts,
    log: (line) => context.stderr.write(`${line}\n`),
    progress: (phase, total) => createProgressBar({ label: phase.padEnd(10), total, stream: context.stderr }),
  });
  const users = demoUsers.map((user) => `  ${user.email.padEnd(36)} ${user.role}`).join('\n');
  context.stdout.write(`workspace ${workspace.slug} (id ${workspace.id}) seeded; its demo users (password: see README):\n${users}\n`);
}
