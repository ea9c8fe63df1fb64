import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { newId } from '../../db/ids.ts';
import { deals, pipelines } from '../../db/schema/index.ts';
import { checkPeopleLinks, type PurposeContext } from '../../kernel/index.ts';
import { recordChange } from '../../platform/changes.ts';
import { invalid, notFound, staleVersion } from '../../shared/domainError.ts';
import { unlinkActivitiesFrom } from '../activities/activityLinks.ts';
import { defaultPipelineId, findStage, firstStageOf, type StageOfPipeline } from '../pipelines/pipelines.ts';
import { closedAtAfterMove } from './closing.ts';
import { assertActiveCurrency } from './currency.ts';
import { validateDealCustomFields } from './dealCustomFields.ts';
import { contactIdsByDeal, replaceDealContacts } from './dealContacts.ts';
import { assertActiveUser, assertRecordInWorkspace, assertRecordsInWorkspace, distinctIds } from './workspaceReferences.ts';

export type DealInput = {
  name: string;
  pipelineId?: string;
  stageId?: string;
  amountMinor?: number | null;
  currency?: string | null;
  companyId?: string | null;
  ownerId?: string | null;
  expectedCloseDate?: string | null;
  contactIds?: string[];
  customFields?: Record<string, unknown>;
};
export type DealPatch = Partial<DealInput>;

function cleanName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0) throw invalid('name', 'must not be blank');
  return trimmed;
}

async function assertPipelineInWorkspace(tx: Executor, tenantId: string, pipelineId: string): Promise<void> {
  const [row] = await tx
    .select({ id: pipelines.id })
    .from(pipelines)
    .where(and(eq(pipelines.tenantId, tenantId), eq(pipelines.id, pipelineId)));
  if (!row) throw invalid('pipelineId', 'no pipeline with this id in this workspace');
}

/** The stage a deal is put in: it must belong to the deal's pipeline. */
async function stageForPipeline(tx: Executor, tenantId: string, pipelineId: string, stageId: string | undefined): Promise<StageOfPipeline> {
  const stage = stageId ? await findStage(tx, tenantId, stageId) : await firstStageOf(tx, tenantId, pipelineId);
  if (!stage || stage.pipelineId !== pipelineId) {
    throw invalid('stageId', stageId ? "not a stage of the deal's pipeline" : 'the pipeline has no stages');
  }
  return stage;
}

/** An amount means nothing without its currency; a currency must be an active ISO 4217 code. */
function assertMoney(amountMinor: number | null, currency: string | null): void {
  if (currency !== null) assertActiveCurrency('currency', currency);
  if (amountMinor !== null && currency === null) throw invalid('currency', 'required when amountMinor is set');
}

export async function createDeal(tx: Executor, ctx: PurposeContext, input: DealInput): Promise<string> {
  const name = cleanName(input.name);
  let pipelineId = input.pipelineId;
  if (pipelineId) await assertPipelineInWorkspace(tx, ctx.tenantId, pipelineId);
  else pipelineId = (await defaultPipelineId(tx, ctx.tenantId)) ?? undefined;
  if (!pipelineId) throw invalid('pipelineId', 'required: this workspace has no default pipeline');
  const stage = await stageForPipeline(tx, ctx.tenantId, pipelineId, input.stageId);
  const amountMinor = input.amountMinor ?? null;
  const currency = input.currency ?? null;
  assertMoney(amountMinor, currency);
  if (input.companyId) await assertRecordInWorkspace(tx, ctx.tenantId, 'company', 'companyId', input.companyId);
  // A deal created by a signed-in user belongs to them unless the request names an owner.
  const ownerId = input.ownerId !== undefined ? input.ownerId : ctx.actor.type === 'user' ? ctx.actor.id : null;
  if (ownerId) await assertActiveUser(tx, ctx.tenantId, 'ownerId', ownerId);
  const contactIds = distinctIds(input.contactIds ?? []);
  await assertRecordsInWorkspace(tx, ctx.tenantId, 'contact', 'contactIds', contactIds);
  await checkPeopleLinks(tx, ctx, { field: 'contactIds', wanted: contactIds });
  const custom = await validateDealCustomFields(tx, ctx, {}, input.customFields);
  const id = newId();
  const now = new Date();
  await tx.insert(deals).values({
    tenantId: ctx.tenantId,
    id,
    pipelineId,
    stageId: stage.id,
    name,
    amountMinor,
    currency,
    companyId: input.companyId ?? null,
    ownerId,
    expectedCloseDate: input.expectedCloseDate ?? null,
    closedAt: closedAtAfterMove(null, stage.outcome, null, now),
    custom,
    createdAt: now,
    updatedAt: now,
  });
  await replaceDealContacts(tx, ctx.tenantId, id, contactIds);
  await recordChange(tx, ctx, { object: 'deal', recordId: id, kind: 'created', fields: Object.keys(input) });
  return id;
}

async function lockDeal(tx: Executor, ctx: PurposeContext, id: string, expectedVersion: number | null) {
  const [row] = await tx
    .select()
    .from(deals)
    .where(and(eq(deals.tenantId, ctx.tenantId), eq(deals.id, id)))
    .for('update');
  if (!row) throw notFound('deal');
  if (expectedVersion !== null && row.version !== expectedVersion) throw staleVersion(row.version);
  return row;
}

export async function updateDeal(tx: Executor, ctx: PurposeContext, id: string, expectedVersion: number, patch: DealPatch): Promise<void> {
  const current = await lockDeal(tx, ctx, id, expectedVersion);
  const values: Partial<typeof deals.$inferInsert> = {};
  const changed = new Set(Object.keys(patch));
  if (patch.name !== undefined) values.name = cleanName(patch.name);

  const pipelineId = patch.pipelineId ?? current.pipelineId;
  if (pipelineId !== current.pipelineId) {
    await assertPipelineInWorkspace(tx, ctx.tenantId, pipelineId);
    if (!patch.stageId) throw invalid('stageId', 'required when pipelineId changes: the current stage belongs to the old pipeline');
    values.pipelineId = pipelineId;
  }
  if (patch.stageId !== undefined && patch.stageId !== current.stageId) {
    const next = await stageForPipeline(tx, ctx.tenantId, pipelineId, patch.stageId);
    const previous = await findStage(tx, ctx.tenantId, current.stageId);
    const closedAt = closedAtAfterMove(previous?.outcome ?? null, next.outcome, current.closedAt, new Date());
    values.stageId = next.id;
    if (closedAt?.getTime() !== current.closedAt?.getTime()) {
      values.closedAt = closedAt;
      changed.add('closedAt');
    }
  } else if (patch.stageId !== undefined) {
    await stageForPipeline(tx, ctx.tenantId, pipelineId, patch.stageId);
  }

  const amountMinor = patch.amountMinor !== undefined ? patch.amountMinor : current.amountMinor;
  const currency = patch.currency !== undefined ? patch.currency : current.currency;
  if (patch.amountMinor !== undefined || patch.currency !== undefined) {
    assertMoney(amountMinor, currency);
    values.amountMinor = amountMinor;
    values.currency = currency;
  }
  if (patch.companyId !== undefined) {
    if (patch.companyId) await assertRecordInWorkspace(tx, ctx.tenantId, 'company', 'companyId', patch.companyId);
    values.companyId = patch.companyId;
  }
  if (patch.ownerId !== undefined) {
    if (patch.ownerId) await assertActiveUser(tx, ctx.tenantId, 'ownerId', patch.ownerId);
    values.ownerId = patch.ownerId;
  }
  if (patch.expectedCloseDate !== undefined) values.expectedCloseDate = patch.expectedCloseDate;
  if (patch.customFields !== undefined) values.custom = await validateDealCustomFields(tx, ctx, current.custom, patch.customFields);
  if (patch.contactIds !== undefined) {
    const contactIds = distinctIds(patch.contactIds);
    await assertRecordsInWorkspace(tx, ctx.tenantId, 'contact', 'contactIds', contactIds);
    const current = (await contactIdsByDeal(tx, ctx.tenantId, [id])).get(id) ?? [];
    // People the purpose may not process were never shown to the caller: their links stay.
    const { hidden } = await checkPeopleLinks(tx, ctx, { field: 'contactIds', wanted: contactIds, current });
    await replaceDealContacts(tx, ctx.tenantId, id, distinctIds([...contactIds, ...hidden.keys()]));
  }
  await tx
    .update(deals)
    .set({ ...values, version: current.version + 1, updatedAt: new Date() })
    .where(and(eq(deals.tenantId, ctx.tenantId), eq(deals.id, id)));
  await recordChange(tx, ctx, { object: 'deal', recordId: id, kind: 'updated', fields: [...changed] });
}

export async function deleteDeal(tx: Executor, ctx: PurposeContext, id: string, expectedVersion: number | null): Promise<void> {
  await lockDeal(tx, ctx, id, expectedVersion);
  await unlinkActivitiesFrom(tx, ctx.tenantId, 'deal', id);
  await tx.delete(deals).where(and(eq(deals.tenantId, ctx.tenantId), eq(deals.id, id)));
  await recordChange(tx, ctx, { object: 'deal', recordId: id, kind: 'deleted' });
}
