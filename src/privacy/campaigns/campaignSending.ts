import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/connection.ts';
import { campaignDeliveries, campaigns, type DeliveryState } from '../../db/schema/index.ts';
import { listPermittedContacts, systemContext, type AccessContext } from '../../kernel/index.ts';
import { recordChange } from '../../platform/changes.ts';
import { DomainError } from '../../shared/domainError.ts';
import { campaignMessage, type CampaignMessage } from './campaignMessage.ts';
import { getCampaign, type Campaign } from './campaigns.ts';
import { getSegment } from './segments.ts';
import { segmentConditions } from './segmentFilters.ts';

/*
 * Sending a campaign, one batch per job. Who receives is decided by the kernel for each
 * batch at the moment it is sent: the batch's contact ids are read through the kernel under
 * the campaign's purpose, so a person whose consent is no longer live (withdrawn, expired),
 * who objected, is restricted or was erased is left out — skipped, not mailed.
 *
 * Exactly-once per person, at most: the segment's members are written as `queued`
 * deliveries when sending starts; a batch moves its rows to `sending` and commits before any
 * message leaves, then records `sent` or `failed`. A job retried after a crash finds rows
 * still `sending` and fails them as interrupted instead of mailing those people again.
 * Deliveries hold ids and states only; addresses exist only in memory while a batch is sent.
 */

/** Where campaign messages go: the server's mailer (SMTP or the dev mailbox). */
export type CampaignMailer = { send(message: CampaignMessage): Promise<void> };
export type CampaignSendSettings = { mailer: CampaignMailer; publicUrl: string };
export type BatchOutcome = { done: true } | { done: false; nextAt: Date; progress: number };

/** The actor of the sending job in the audit trail. */
export const campaignSenderActor = 'campaign-sender';
/** A batch is about two seconds of sending at the campaign's rate, 1 to 200 messages. */
export const batchSizeOf = (ratePerSecond: number) => Math.min(Math.max(Math.round(ratePerSecond * 2), 1), 200);

type Recipient = { contactId: string; email: string };
type Claimed = { campaign: Campaign; recipients: Recipient[]; startedAt: Date };

const ofCampaign = (tenantId: string, campaignId: string) => and(eq(campaignDeliveries.tenantId, tenantId), eq(campaignDeliveries.campaignId, campaignId));

async function setDeliveries(tx: Executor, tenantId: string, campaignId: string, ids: string[], state: DeliveryState, reason: string | null): Promise<void> {
  if (ids.length === 0) return;
  await tx
    .update(campaignDeliveries)
    .set({ state, reason, updatedAt: new Date() })
    .where(and(ofCampaign(tenantId, campaignId), inArray(campaignDeliveries.contactId, ids)));
}

async function setCampaignStatus(tx: Executor, ctx: AccessContext, campaign: Campaign, set: Partial<typeof campaigns.$inferInsert>): Promise<void> {
  await tx
    .update(campaigns)
    .set({ ...set, updatedAt: new Date(), version: sql`${campaigns.version} + 1` })
    .where(and(eq(campaigns.tenantId, ctx.tenantId), eq(campaigns.id, campaign.id)));
  await recordChange(tx, ctx, { object: 'campaign', recordId: campaign.id, kind: 'updated', fields: ['status'] });
}

/** Sending starts: the segment's members now become the campaign's queued deliveries. */
async function startSending(tx: Executor, ctx: AccessContext, campaign: Campaign, now: Date): Promise<void> {
  const segment = await getSegment(tx, ctx.tenantId, campaign.segmentId);
  await tx.execute(sql`
    insert into campaign_deliveries (tenant_id, campaign_id, contact_id)
    select ${ctx.tenantId}::uuid, ${campaign.id}::uuid, contacts.id from contacts
    where ${and(...segmentConditions(ctx.tenantId, segment.filters, now))}
    on conflict do nothing`);
  await setCampaignStatus(tx, ctx, campaign, { status: 'sending', startedAt: now });
}

/** The next batch's recipients, decided by the kernel now; their rows are `sending` when this commits. */
async function claimBatch(database: Database, tenantId: string, campaignId: string): Promise<Claimed | null> {
  return database.db.transaction(async (tx) => {
    const campaign = await getCampaign(tx, tenantId, campaignId, true);
    if (campaign.status !== 'scheduled' && campaign.status !== 'sending') return null;
    const now = new Date();
    const ctx = systemContext(tenantId, campaignSenderActor, campaign.purposeKey);
    if (campaign.status === 'scheduled') await startSending(tx, ctx, campaign, now);
    await tx
      .update(campaignDeliveries)
      .set({ state: 'failed', reason: 'interrupted', updatedAt: now })
      .where(and(ofCampaign(tenantId, campaignId), eq(campaignDeliveries.state, 'sending')));
    const queued = await tx
      .select({ id: campaignDeliveries.contactId })
      .from(campaignDeliveries)
      .where(and(ofCampaign(tenantId, campaignId), eq(campaignDeliveries.state, 'queued')))
      .orderBy(campaignDeliveries.contactId)
      .limit(batchSizeOf(campaign.ratePerSecond));
    const ids = queued.map((row) => row.id);
    if (ids.length === 0) {
      await setCampaignStatus(tx, ctx, campaign, { status: 'sent', finishedAt: now });
      return null;
    }
    let rows: Array<{ id: string; personal: Record<string, unknown> }> = [];
    try {
      rows = (await listPermittedContacts(tx, ctx, { where: { ids }, limit: ids.length }, { action: 'campaign.recipients_decided' })).rows;
    } catch (error) {
      // The purpose is no longer granted to send under: this batch fails, by its code only.
      if (!(error instanceof DomainError)) throw error;
      await setDeliveries(tx, tenantId, campaignId, ids, 'failed', error.code);
      return { campaign, recipients: [], startedAt: now };
    }
    const recipients = rows.flatMap((row) => (typeof row.personal.email === 'string' ? [{ contactId: row.id, email: row.personal.email }] : []));
    const permitted = new Set(rows.map((row) => row.id));
    const addressed = new Set(recipients.map((recipient) => recipient.contactId));
    await setDeliveries(tx, tenantId, campaignId, [...addressed], 'sending', null);
    await setDeliveries(
      tx,
      tenantId,
      campaignId,
      ids.filter((id) => permitted.has(id) && !addressed.has(id)),
      'skipped',
      'no_address',
    );
    await setDeliveries(
      tx,
      tenantId,
      campaignId,
      ids.filter((id) => !permitted.has(id)),
      'skipped',
      'left_out',
    );
    return { campaign, recipients, startedAt: now };
  });
}

/**
 * Sends the campaign's next batch and says when the next one may start (its rate kept), or
 * that the campaign is done (sent, cancelled, or gone).
 */
export async function sendCampaignBatch(database: Database, settings: CampaignSendSettings, tenantId: string, campaignId: string): Promise<BatchOutcome> {
  const claimed = await claimBatch(database, tenantId, campaignId).catch((error: unknown) => {
    if (error instanceof DomainError && error.code === 'not_found') return null;
    throw error;
  });
  if (!claimed) return { done: true };
  const { campaign, recipients, startedAt } = claimed;
  const sent: string[] = [];
  const failed: string[] = [];
  for (const recipient of recipients) {
    try {
      await settings.mailer.send(await campaignMessage({ ...campaign, tenantId }, recipient, settings.publicUrl));
      sent.push(recipient.contactId);
    } catch {
      // Counted by state only: a mailer's error message can quote the address.
      failed.push(recipient.contactId);
    }
  }
  await database.db.transaction(async (tx) => {
    await setDeliveries(tx, tenantId, campaignId, sent, 'sent', null);
    await setDeliveries(tx, tenantId, campaignId, failed, 'failed', 'mailer_error');
  });
  const [{ done }] = await database.db
    .select({ done: sql<number>`count(*)::int` })
    .from(campaignDeliveries)
    .where(and(ofCampaign(tenantId, campaignId), sql`${campaignDeliveries.state} <> 'queued'`));
  const batch = batchSizeOf(campaign.ratePerSecond);
  return { done: false, nextAt: new Date(startedAt.getTime() + (1000 * batch) / campaign.ratePerSecond), progress: Number(done) };
}
