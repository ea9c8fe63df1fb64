import { eq } from 'drizzle-orm';
import type { AccessContext } from '../kernel/index.ts';
import type { AppDatabase, Executor } from '../db/connection.ts';
import { newId } from '../db/ids.ts';
import { pipelines, pipelineStages, workspaces } from '../db/schema/index.ts';
import { DomainError, invalid, notFound } from '../shared/domainError.ts';
import { isPhoneRegion } from '../shared/normalize.ts';
import { recordChange } from '../platform/changes.ts';
import { installDefaultPurposes } from '../privacy/purposes.ts';
import { grantDefaultRoles } from '../kernel/index.ts';

export type Workspace = typeof workspaces.$inferSelect;

const slugPattern = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

const defaultStages = [
  { name: 'Qualification', probability: 10, outcome: 'open' },
  { name: 'Needs analysis', probability: 25, outcome: 'open' },
  { name: 'Proposal', probability: 50, outcome: 'open' },
  { name: 'Negotiation', probability: 75, outcome: 'open' },
  { name: 'Closed won', probability: 100, outcome: 'won' },
  { name: 'Closed lost', probability: 0, outcome: 'lost' },
] as const;

/**
 * Creates a workspace with the default purposes, each role's default grants over them
 * (src/kernel/policy/roleGrants.ts) and a default sales pipeline, in one transaction. The
 * CLI, the demo seed and the tests all create workspaces here.
 */
export async function createWorkspace(db: Executor, input: { slug: string; name: string; defaultRegion?: string }): Promise<Workspace> {
  if (!slugPattern.test(input.slug)) {
    throw invalid('slug', 'use 1–40 lowercase letters, digits and hyphens, starting and ending with a letter or digit');
  }
  if (input.defaultRegion !== undefined) assertPhoneRegion(input.defaultRegion);
  if (await findWorkspaceBySlug(db, input.slug)) {
    throw new DomainError('conflict', `A workspace with slug "${input.slug}" already exists.`, [{ field: 'slug', reason: 'already taken' }]);
  }
  return db.transaction(async (tx) => {
    const [workspace] = await tx.insert(workspaces).values({ id: newId(), slug: input.slug, name: input.name, defaultRegion: input.defaultRegion }).returning();
    await installDefaultPurposes(tx, workspace.id);
    await grantDefaultRoles(tx, workspace.id);
    const pipelineId = newId();
    await tx.insert(pipelines).values({ tenantId: workspace.id, id: pipelineId, name: 'Sales pipeline', isDefault: true });
    await tx.insert(pipelineStages).values(defaultStages.map((stage, position) => ({ tenantId: workspace.id, id: newId(), pipelineId, position, ...stage })));
    return workspace;
  });
}

export async function findWorkspaceBySlug(db: Executor, slug: string): Promise<Workspace | null> {
  const [row] = await db.select().from(workspaces).where(eq(workspaces.slug, slug)).limit(1);
  return row ?? null;
}

export async function requireWorkspace(db: Executor, slug: string): Promise<Workspace> {
  const workspace = await findWorkspaceBySlug(db, slug);
  if (!workspace) throw new DomainError('not_found', `No workspace with slug "${slug}". Create one with: candor workspace create --slug ${slug} --name "…"`);
  return workspace;
}

export async function findWorkspaceById(db: Executor, id: string): Promise<Workspace | null> {
  const [row] = await db.select().from(workspaces).where(eq(workspaces.id, id)).limit(1);
  return row ?? null;
}

/** The settings of a workspace a client may read and change. */
export type WorkspaceSettings = { slug: string; name: string; defaultRegion: string };

function assertPhoneRegion(region: string): void {
  if (!isPhoneRegion(region)) throw invalid('defaultRegion', 'an ISO 3166-1 alpha-2 region in capitals that has phone numbers, such as US or GB');
}

const settingsOf = (row: Workspace): WorkspaceSettings => ({ slug: row.slug, name: row.name, defaultRegion: row.defaultRegion });

export async function workspaceSettings(db: Executor, ctx: AccessContext): Promise<WorkspaceSettings> {
  const row = await findWorkspaceById(db, ctx.tenantId);
  if (!row) throw notFound('workspace');
  return settingsOf(row);
}

/**
 * Changes the workspace's settings (the route checks the role) and records which settings
 * changed in the audit trail, in one transaction; a bad region is refused naming `defaultRegion`.
 */
export async function changeWorkspaceSettings(
  db: AppDatabase,
  ctx: AccessContext,
  change: { name?: string; defaultRegion?: string },
): Promise<WorkspaceSettings> {
  if (change.defaultRegion !== undefined) assertPhoneRegion(change.defaultRegion);
  const fields = (['name', 'defaultRegion'] as const).filter((field) => change[field] !== undefined);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(workspaces)
      .set({
        ...(change.name !== undefined ? { name: change.name } : {}),
        ...(change.defaultRegion !== undefined ? { defaultRegion: change.defaultRegion } : {}),
      })
      .where(eq(workspaces.id, ctx.tenantId))
      .returning();
    if (!row) throw notFound('workspace');
    if (fields.length > 0) await recordChange(tx, ctx, { object: 'workspace', recordId: ctx.tenantId, kind: 'updated', fields });
    return settingsOf(row);
  });
}

/** The region national phone numbers belong to in this workspace (src/shared/normalize.ts). */
export async function workspaceDefaultRegion(db: Executor, tenantId: string): Promise<string> {
  const [row] = await db.select({ defaultRegion: workspaces.defaultRegion }).from(workspaces).where(eq(workspaces.id, tenantId)).limit(1);
  return row?.defaultRegion ?? 'US';
}
