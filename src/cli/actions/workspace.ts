import { asc } from 'drizzle-orm';
import { createWorkspace } from '../../accounts/workspaces.ts';
import type { Database } from '../../db/connection.ts';
import { workspaces } from '../../db/schema/index.ts';
import type { CommandContext } from '../cliDatabase.ts';
import { formatTable, shortDate } from '../table.ts';

export async function createWorkspaceCommand(database: Database, context: CommandContext, options: { slug: string; name?: string }): Promise<void> {
  const created = await createWorkspace(database.db, { slug: options.slug, name: options.name ?? options.slug });
  context.stdout.write(`workspace ${created.slug} created (id ${created.id})\n`);
}

export async function listWorkspacesCommand(database: Database, context: CommandContext, options: { json?: boolean }): Promise<void> {
  const rows = await database.db.select().from(workspaces).orderBy(asc(workspaces.slug));
  if (options.json) {
    context.stdout.write(`${JSON.stringify(rows)}\n`);
    return;
  }
  context.stdout.write(
    formatTable(
      ['slug', 'name', 'created', 'id'],
      rows.map((row) => [row.slug, row.name, shortDate(row.createdAt), row.id]),
    ),
  );
}
