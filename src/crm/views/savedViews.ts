import { and, eq, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { newId } from '../../db/ids.ts';
import { savedViews } from '../../db/schema/index.ts';
import { violatesUniqueIndex } from '../../db/uniqueViolation.ts';
import { appendAudit, type AccessContext } from '../../kernel/index.ts';
import { DomainError, notFound, staleVersion } from '../../shared/domainError.ts';
import { createdOrNameSorts, keysetCondition, keysetOrderBy, namedRecordPage, parseSort } from '../../shared/keyset.ts';

/*
 * Saved views belong to whoever saved them: a signed-in user, or an API key — the key's own
 * views, never its creator's, since a key handed to an integration acts for the workspace,
 * not as the person. Every read and write is scoped to the owner, so another owner's view is
 * "not found" (404), never "forbidden": its existence is not confirmed. What a view may
 * hold (which filters, sorts and columns) is the list's business, checked by the caller
 * against that list's own definition before anything reaches this module.
 */

export const viewObjects = ['contacts', 'companies', 'deals', 'activities', 'purchases'] as const;
export type ViewObject = (typeof viewObjects)[number];

export type SavedView = {
  id: string;
  object: ViewObject;
  name: string;
  /** Query-string values of the list's filters, by parameter name. */
  filters: Record<string, string>;
  /** The list's sort ("-createdAt"), or null for its default. */
  sort: string | null;
  /** The list's fields to show, in order; empty for the screen's default. */
  columns: string[];
  shared: boolean;
  createdAt: Date;
  updatedAt: Date;
  version: number;
};

export type ViewContent = Pick<SavedView, 'name' | 'filters' | 'sort' | 'columns'>;
export type NewView = ViewContent & { object: ViewObject };

type Owner = { type: 'user' | 'api_key'; id: string };

const columns = {
  id: savedViews.id,
  object: savedViews.object,
  name: savedViews.name,
  filters: savedViews.filters,
  sort: savedViews.sort,
  columns: savedViews.columns,
  shared: savedViews.shared,
  createdAt: savedViews.createdAt,
  updatedAt: savedViews.updatedAt,
  version: savedViews.version,
};

function ownerOf(ctx: AccessContext): Owner {
  if (ctx.actor.type === 'system') throw new DomainError('forbidden', 'Saved views belong to a user or an API key.');
  return { type: ctx.actor.type, id: ctx.actor.id };
}

/** The view's own row, only when `ctx`'s actor owns it. */
function ownedBy(ctx: AccessContext, id?: string): SQL {
  const owner = ownerOf(ctx);
  return and(
    eq(savedViews.tenantId, ctx.tenantId),
    eq(savedViews.ownerType, owner.type),
    eq(savedViews.ownerId, owner.id),
    ...(id === undefined ? [] : [eq(savedViews.id, id)]),
  )!;
}

const nameTaken = () =>
  new DomainError('duplicate', 'You already have a view of this list with this name.', [
    { field: 'name', reason: 'already used by another of your views of this list' },
  ]);

/**
 * Runs a write (its whole transaction), turning the owner-and-name index's refusal into a
 * 409 naming `name`: the database's own message quotes the name.
 */
export async function guardViewName<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (violatesUniqueIndex(error, 'saved_views_owner_name_idx')) throw nameTaken();
    throw error;
  }
}

const toView = (row: typeof savedViews.$inferSelect | Omit<typeof savedViews.$inferSelect, 'tenantId' | 'ownerType' | 'ownerId'>): SavedView => ({
  id: row.id,
  object: row.object as ViewObject,
  name: row.name,
  filters: row.filters,
  sort: row.sort,
  columns: row.columns,
  shared: row.shared,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  version: row.version,
});

// A view is a user's own setting, but changing what a workspace member looks at is still a
// change: audited with field names (the view's contents are no personal values either).
const auditView = (tx: Executor, ctx: AccessContext, kind: 'created' | 'updated' | 'deleted', id: string, fields: string[]) =>
  appendAudit(tx, ctx, { action: `view.${kind}`, object: 'view', recordIds: [id], fields });

/** Saves a new view for the caller; run it in a transaction inside guardViewName. */
export async function createView(tx: Executor, ctx: AccessContext, input: NewView): Promise<string> {
  const owner = ownerOf(ctx);
  const id = newId();
  await tx.insert(savedViews).values({ tenantId: ctx.tenantId, id, ownerType: owner.type, ownerId: owner.id, ...input });
  await auditView(tx, ctx, 'created', id, ['object', 'name', 'filters', 'sort', 'columns']);
  return id;
}

export async function getView(executor: Executor, ctx: AccessContext, id: string): Promise<SavedView> {
  const [row] = await executor.select(columns).from(savedViews).where(ownedBy(ctx, id));
  if (!row) throw notFound('view');
  return toView(row);
}

const viewSorts = createdOrNameSorts(savedViews.createdAt, savedViews.name);
export const viewSortNames = Object.keys(viewSorts);

/** The caller's own views, of one list or all, a keyset page at a time. */
export async function listViews(
  executor: Executor,
  ctx: AccessContext,
  query: { object?: ViewObject; sort?: string; cursor?: string; limit: number },
): Promise<{ data: SavedView[]; nextCursor: string | null }> {
  const order = parseSort(query.sort, viewSorts, 'createdAt');
  const rows = await executor
    .select(columns)
    .from(savedViews)
    .where(and(ownedBy(ctx), query.object ? eq(savedViews.object, query.object) : undefined, keysetCondition(order, savedViews.id, query.cursor)))
    .orderBy(...keysetOrderBy(order, savedViews.id))
    .limit(query.limit + 1);
  const page = namedRecordPage(rows, query.limit, order);
  return { data: page.data.map(toView), nextCursor: page.nextCursor };
}

/** Applies a checked change if the view is still at `expectedVersion` (412 otherwise); run it inside guardViewName. */
export async function updateView(tx: Executor, ctx: AccessContext, id: string, expectedVersion: number, change: Partial<ViewContent>): Promise<void> {
  const current = await getView(tx, ctx, id);
  if (current.version !== expectedVersion) throw staleVersion(current.version, 'view');
  const updated = await tx
    .update(savedViews)
    .set({ ...change, updatedAt: new Date(), version: current.version + 1 })
    .where(and(ownedBy(ctx, id), eq(savedViews.version, expectedVersion)))
    .returning({ id: savedViews.id });
  if (updated.length === 0) throw staleVersion((await getView(tx, ctx, id)).version, 'view');
  await auditView(tx, ctx, 'updated', id, Object.keys(change));
}

export async function deleteView(tx: Executor, ctx: AccessContext, id: string, expectedVersion: number | null): Promise<void> {
  const current = await getView(tx, ctx, id);
  if (expectedVersion !== null && current.version !== expectedVersion) throw staleVersion(current.version, 'view');
  await tx.delete(savedViews).where(ownedBy(ctx, id));
  await auditView(tx, ctx, 'deleted', id, []);
}
