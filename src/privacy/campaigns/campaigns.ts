import { and, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { newId } from '../../db/ids.ts';
import { campaignDeliveries, campaigns, purposes, type CampaignStatus, type DeliveryState } from '../../db/schema/index.ts';
import type { AccessContext } from '../../kernel/index.ts';
import { recordChange } from '../../platform/changes.ts';
import { jobQueueReady, sendJob } from '../../queue/sendJob.ts';
import { DomainError, invalid, notFound, staleVersion } from '../../shared/domainError.ts';
import { createdOrNameSorts, keysetCondition, keysetOrderBy, namedRecordPage, parseSort } from '../../shared/keyset.ts';
import { getSegment } from './segments.ts';

/*
 * E-mail campaigns: plain marketing text sent to a segment under one purpose whose data use
 * is e-mail marketing. draft → scheduled (a pg-boss job waits for sendAt) → sending (the
 * job sends a batch at a time, campaignSending.ts) → sent; a scheduled or sending campaign
 * can be cancelled. Only a draft can be edited. Who receives is not decided here: the kernel
 * decides it for each batch as it is sent.
 */

export const campaignSendQueue = 'campaign-send';
export const defaultRatePerSecond = 10;
/** The data use a campaign's purpose must have (fideslang): e-mail marketing, consent or soft opt-in. */
const emailMarketingUse = 'marketing.communications.email';

export type CampaignContent = {
  name: string;
  segmentId: string;
  purposeKey: string;
  subject: string;
  textBody: string;
  htmlBody: string | null;
  ratePerSecond: number;
};
export type DeliveryCounts = Record<DeliveryState, number>;
export type Campaign = CampaignContent & {
  id: string;
  status: CampaignStatus;
  sendAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  cancelledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
};

const ofWorkspace = (tenantId: string, id?: string): SQL => and(eq(campaigns.tenantId, tenantId), ...(id === undefined ? [] : [eq(campaigns.id, id)]))!;
const { tenantId: _tenantId, ...columns } = getTableColumns(campaigns);

/** Refuses a purpose that is not an e-mail marketing one, or a segment of no one (422 naming the field). */
async function assertAddressable(tx: Executor, tenantId: string, change: Partial<CampaignContent>): Promise<void> {
  if (change.purposeKey !== undefined) {
    const [purpose] = await tx
      .select({ dataUse: purposes.dataUse })
      .from(purposes)
      .where(and(eq(purposes.tenantId, tenantId), eq(purposes.key, change.purposeKey)));
    if (!purpose) throw invalid('purposeKey', 'no purpose with this key in the workspace');
    if (!purpose.dataUse.startsWith(emailMarketingUse))
      throw invalid('purposeKey', `a campaign is sent under an e-mail marketing purpose (data use ${emailMarketingUse})`);
  }
  if (change.segmentId !== undefined) {
    await getSegment(tx, tenantId, change.segmentId).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === 'not_found') throw invalid('segmentId', 'no segment with this id in the workspace');
      throw error;
    });
  }
}

export async function createCampaign(tx: Executor, ctx: AccessContext, input: CampaignContent): Promise<string> {
  await assertAddressable(tx, ctx.tenantId, input);
  const id = newId();
  await tx.insert(campaigns).values({ tenantId: ctx.tenantId, id, ...input });
  await recordChange(tx, ctx, { object: 'campaign', recordId: id, kind: 'created', fields: Object.keys(input) });
  return id;
}

export async function getCampaign(executor: Executor, tenantId: string, id: string, lock = false): Promise<Campaign> {
  const query = executor.select(columns).from(campaigns).where(ofWorkspace(tenantId, id));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('campaign');
  return row;
}

const campaignSorts = createdOrNameSorts(campaigns.createdAt, campaigns.name);
export const campaignSortNames = Object.keys(campaignSorts);

export async function listCampaigns(executor: Executor, tenantId: string, query: { status?: CampaignStatus; sort?: string; cursor?: string; limit: number }) {
  const order = parseSort(query.sort, campaignSorts, 'createdAt');
  const rows = await executor
    .select(columns)
    .from(campaigns)
    .where(and(ofWorkspace(tenantId), query.status ? eq(campaigns.status, query.status) : undefined, keysetCondition(order, campaigns.id, query.cursor)))
    .orderBy(...keysetOrderBy(order, campaigns.id))
    .limit(query.limit + 1);
  return namedRecordPage(rows, query.limit, order);
}

/** Reads the campaign locked, at `expectedVersion` (412 otherwise) and in one of `states` (409 otherwise). */
async function campaignToChange(tx: Executor, tenantId: string, id: string, expectedVersion: number | null, states: CampaignStatus[], doing: string) {
  const current = await getCampaign(tx, tenantId, id, true);
  if (expectedVersion !== null && current.version !== expectedVersion) throw staleVersion(current.version, 'campaign');
  if (!states.includes(current.status)) {
    throw new DomainError('conflict', `A ${current.status} campaign cannot be ${doing}.`, [
      { field: 'status', reason: `is ${current.status}; must be ${states.join(' or ')}` },
    ]);
  }
  return current;
}

async function writeCampaign(tx: Executor, ctx: AccessContext, current: Campaign, set: Partial<typeof campaigns.$inferInsert>, fields: string[]) {
  await tx
    .update(campaigns)
    .set({ ...set, updatedAt: new Date(), version: current.version + 1 })
    .where(ofWorkspace(ctx.tenantId, current.id));
  await recordChange(tx, ctx, { object: 'campaign', recordId: current.id, kind: 'updated', fields });
}

/** Changes a draft (409 once scheduled: what was scheduled is what is sent). */
export async function updateCampaign(tx: Executor, ctx: AccessContext, id: string, expectedVersion: number, change: Partial<CampaignContent>): Promise<void> {
  const current = await campaignToChange(tx, ctx.tenantId, id, expectedVersion, ['draft'], 'changed');
  await assertAddressable(tx, ctx.tenantId, change);
  await writeCampaign(tx, ctx, current, change, Object.keys(change));
}

export async function deleteCampaign(tx: Executor, ctx: AccessContext, id: string, expectedVersion: number | null): Promise<void> {
  await campaignToChange(tx, ctx.tenantId, id, expectedVersion, ['draft', 'sent', 'cancelled'], 'deleted');
  await tx.delete(campaigns).where(ofWorkspace(ctx.tenantId, id));
  await recordChange(tx, ctx, { object: 'campaign', recordId: id, kind: 'deleted' });
}

/**
 * Schedules a draft for `sendAt` (now when absent): its first job waits in pg-boss until
 * then, in this transaction, so a rolled-back schedule queues nothing.
 */
export async function scheduleCampaign(tx: Executor, ctx: AccessContext, id: string, expectedVersion: number, sendAt: Date): Promise<void> {
  const current = await campaignToChange(tx, ctx.tenantId, id, expectedVersion, ['draft'], 'scheduled');
  if (!(await jobQueueReady(tx, campaignSendQueue))) {
    throw new DomainError('jobs_unavailable', 'Campaigns are sent by the job runner of a running server, which has not started on this database.', [
      { field: 'id', reason: 'no job runner to send it' },
    ]);
  }
  await writeCampaign(tx, ctx, current, { status: 'scheduled', sendAt }, ['status', 'sendAt']);
  await sendJob(tx, campaignSendQueue, { tenantId: ctx.tenantId, campaignId: id }, { startAfter: sendAt });
}

/** Cancels a scheduled or sending campaign: no batch starts after this commits (one in flight finishes). */
export async function cancelCampaign(tx: Executor, ctx: AccessContext, id: string, expectedVersion: number | null): Promise<void> {
  const current = await campaignToChange(tx, ctx.tenantId, id, expectedVersion, ['scheduled', 'sending'], 'cancelled');
  await writeCampaign(tx, ctx, current, { status: 'cancelled', cancelledAt: new Date() }, ['status']);
}

/** How many of the campaign's messages are in each delivery state (queued until their batch is sent). */
export async function deliveryCounts(executor: Executor, tenantId: string, id: string): Promise<DeliveryCounts> {
  const rows = await executor
    .select({ state: campaignDeliveries.state, n: sql<number>`count(*)::int` })
    .from(campaignDeliveries)
    .where(and(eq(campaignDeliveries.tenantId, tenantId), eq(campaignDeliveries.campaignId, id)))
    .groupBy(campaignDeliveries.state);
  const counts: DeliveryCounts = { queued: 0, sending: 0, sent: 0, skipped: 0, failed: 0 };
  for (const row of rows) counts[row.state] = Number(row.n);
  return counts;
}
