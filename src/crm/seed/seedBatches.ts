import { createHash } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/connection.ts';
import { activities, activityLinks, companies, contacts, dealContacts, deals, events, purchaseLines, purchases } from '../../db/schema/index.ts';
import {
  createPermittedContacts,
  insertEvents,
  resolveAnonymousIds,
  storeActivityContents,
  type AnonymousSighting,
  type NewContact,
  type NewEventRecord,
  type PurposeContext,
} from '../../kernel/index.ts';
import { demoActivityAt, demoCompanyAt, demoContactAt, demoDealAt, demoEventAt, demoPurchaseAt, type DemoSize, type DemoTimeline } from './demoData.ts';
import { indexFromKey } from './keys.ts';
import { giveNewVisitorsConsent } from './visitorConsents.ts';

// One batch of demo records of one kind, written in one short transaction. Each batch asks
// which of its (deterministic) ids exist and writes only the missing records, which is
// what makes seeding safe to re-run; see seedWorkspace.ts.

export const demoSeed = 20_240_601;

// Consents right after contacts: the histories name contacts, and a consent-gated door for
// events (issue 12) would want them before the events that need them.
export const seedPhases = ['companies', 'contacts', 'consents', 'deals', 'activities', 'purchases', 'events'] as const;
export type SeedPhase = (typeof seedPhases)[number];

/** Demo events reach back this many days at most: web analytics keeps events 395 days. */
export const demoEventDays = 365;

// Fixed epoch for the time field of demo ids: ids of one kind ascend with their index, so
// index pages are appended to rather than split at random.
const demoIdEpochMs = Date.UTC(2020, 0, 1);

/** A UUIDv7-shaped id that depends only on (workspace, kind, index). */
export function demoRecordId(tenantId: string, kind: string, index: number): string {
  const bytes = createHash('sha256').update(`${tenantId}/${kind}/${index}`).digest().subarray(0, 16);
  bytes.writeUIntBE(demoIdEpochMs + index, 0, 6);
  bytes[6] = 0x70 | (bytes[6] & 0x0f);
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export type Seeding = {
  database: Database;
  ctx: PurposeContext;
  tenantId: string;
  size: DemoSize;
  timeline: DemoTimeline;
  /** Users who own records, taken in turn. */
  owners: string[];
  pipelineId: string;
  stages: Array<{ id: string; outcome: string }>;
};

const idOf = (seeding: Seeding, kind: string, key: string) => demoRecordId(seeding.tenantId, kind, indexFromKey(key));
const ownerAt = (seeding: Seeding, index: number) => seeding.owners[index % seeding.owners.length] ?? null;

type SeededTable = typeof companies | typeof contacts | typeof deals | typeof activities | typeof purchases | typeof events;

/** Indexes in [from, to) whose record does not exist yet, with their ids. */
async function missing(seeding: Seeding, table: SeededTable, kind: string, from: number, to: number): Promise<Array<{ id: string; index: number }>> {
  const wanted = new Map<string, number>();
  for (let index = from; index < to; index++) wanted.set(demoRecordId(seeding.tenantId, kind, index), index);
  const found = await seeding.database.db
    .select({ id: table.id })
    .from(table)
    .where(and(eq(table.tenantId, seeding.tenantId), inArray(table.id, [...wanted.keys()])));
  for (const row of found) wanted.delete(row.id);
  return [...wanted].map(([id, index]) => ({ id, index }));
}

async function seedCompanies(seeding: Seeding, from: number, to: number): Promise<number> {
  const todo = await missing(seeding, companies, 'company', from, to);
  if (todo.length === 0) return 0;
  const startMs = seeding.timeline.end.getTime() - seeding.timeline.days * 86_400_000;
  const rows = todo.map(({ id, index }) => {
    const company = demoCompanyAt(demoSeed, index);
    const createdAt = new Date(startMs + index * 1_000);
    const { name, domain, industry, employeeCount, city, country } = company;
    const ownerId = ownerAt(seeding, index);
    return { tenantId: seeding.tenantId, id, name, domain, industry, employeeCount, city, country, ownerId, source: 'staff', createdAt, updatedAt: createdAt };
  });
  await seeding.database.db.insert(companies).values(rows).onConflictDoNothing();
  return rows.length;
}

async function seedContacts(seeding: Seeding, from: number, to: number): Promise<number> {
  const todo = await missing(seeding, contacts, 'contact', from, to);
  const rows: NewContact[] = todo.map(({ id, index }) => {
    const contact = demoContactAt(demoSeed, index, seeding.size.companies, seeding.timeline);
    return {
      id,
      ownerId: ownerAt(seeding, index),
      companyId: contact.companyKey ? idOf(seeding, 'company', contact.companyKey) : null,
      lifecycleStage: contact.lifecycleStage,
      source: contact.source,
      createdAt: contact.createdAt,
      personal: {
        first_name: contact.firstName,
        last_name: contact.lastName,
        email: contact.email,
        phone: contact.phone,
        job_title: contact.jobTitle,
        city: contact.city,
        country: contact.country,
      },
    };
  });
  if (rows.length > 0) await seeding.database.db.transaction((tx) => createPermittedContacts(tx, seeding.ctx, rows));
  return rows.length;
}

async function seedDeals(seeding: Seeding, from: number, to: number): Promise<number> {
  const todo = await missing(seeding, deals, 'deal', from, to);
  if (todo.length === 0) return 0;
  const { companies: companyCount, contacts: contactCount } = seeding.size;
  const generated = todo.map(({ id, index }) => ({ id, index, deal: demoDealAt(demoSeed, index, companyCount, contactCount, seeding.timeline) }));
  await seeding.database.db.transaction(async (tx) => {
    await tx
      .insert(deals)
      .values(
        generated.map(({ id, index, deal }) => {
          const stage = seeding.stages[deal.stageIndex] ?? seeding.stages[0];
          const closeMs = Math.min(deal.createdAt.getTime() + 45 * 86_400_000, seeding.timeline.end.getTime());
          return {
            tenantId: seeding.tenantId,
            id,
            pipelineId: seeding.pipelineId,
            stageId: stage.id,
            name: deal.name,
            amountMinor: deal.amountMinor,
            currency: deal.currency,
            companyId: idOf(seeding, 'company', deal.companyKey),
            ownerId: ownerAt(seeding, index),
            expectedCloseDate: new Date(closeMs).toISOString().slice(0, 10),
            closedAt: stage.outcome === 'open' ? null : new Date(closeMs),
            createdAt: deal.createdAt,
            updatedAt: deal.createdAt,
          };
        }),
      )
      .onConflictDoNothing();
    const links = generated.flatMap(({ id, deal }) =>
      deal.contactKeys.map((key) => ({ tenantId: seeding.tenantId, dealId: id, contactId: idOf(seeding, 'contact', key) })),
    );
    if (links.length > 0) await tx.insert(dealContacts).values(links).onConflictDoNothing();
  });
  return generated.length;
}

/** Moves each contact's last_activity_at forward to its latest activity of the batch, in one statement. */
async function advanceLastActivities(tx: Executor, seeding: Seeding, batch: Array<{ contactKeys: string[]; occurredAt: Date }>): Promise<void> {
  const latest = new Map<string, number>();
  for (const activity of batch) {
    for (const key of activity.contactKeys) {
      const id = idOf(seeding, 'contact', key);
      latest.set(id, Math.max(latest.get(id) ?? 0, activity.occurredAt.getTime()));
    }
  }
  if (latest.size === 0) return;
  await tx.execute(sql`
    update contacts c set last_activity_at = greatest(c.last_activity_at, u.at)
    from unnest(${sql.param([...latest.keys()])}::uuid[], ${sql.param([...latest.values()].map((ms) => new Date(ms).toISOString()))}::timestamptz[]) as u(id, at)
    where c.tenant_id = ${seeding.tenantId} and c.id = u.id`);
}

async function seedActivities(seeding: Seeding, from: number, to: number): Promise<number> {
  const todo = await missing(seeding, activities, 'activity', from, to);
  if (todo.length === 0) return 0;
  const { companies: companyCount, contacts: contactCount, deals: dealCount } = seeding.size;
  const endMs = seeding.timeline.end.getTime();
  const generated = todo.map(({ id, index }) => ({
    id,
    index,
    activity: demoActivityAt(demoSeed, index, companyCount, contactCount, dealCount, seeding.timeline),
  }));
  await seeding.database.db.transaction(async (tx) => {
    await tx
      .insert(activities)
      .values(
        generated.map(({ id, index, activity }) => {
          const owner = ownerAt(seeding, index);
          const done = activity.dueAt !== null && activity.dueAt.getTime() < endMs && index % 4 !== 0;
          return {
            tenantId: seeding.tenantId,
            id,
            type: activity.type,
            occurredAt: activity.occurredAt,
            dueAt: activity.dueAt,
            completedAt: done ? activity.dueAt : null,
            assigneeId: activity.type === 'task' ? owner : null,
            ownerId: owner,
            createdAt: activity.occurredAt,
            updatedAt: activity.occurredAt,
          };
        }),
      )
      .onConflictDoNothing();
    const link = (activityId: string, object: string, kind: string, key: string) => ({
      tenantId: seeding.tenantId,
      activityId,
      object,
      recordId: idOf(seeding, kind, key),
    });
    const links = generated.flatMap(({ id, activity }) => [
      ...activity.contactKeys.map((key) => link(id, 'contact', 'contact', key)),
      ...(activity.dealKey ? [link(id, 'deal', 'deal', activity.dealKey)] : []),
    ]);
    await tx.insert(activityLinks).values(links).onConflictDoNothing();
    // Free text is personal data: only the kernel writes it (one statement per batch).
    await storeActivityContents(
      tx,
      seeding.ctx,
      generated.map(({ id, activity }) => ({ activityId: id, content: { subject: activity.subject, body: activity.body } })),
    );
    await advanceLastActivities(
      tx,
      seeding,
      generated.map(({ activity }) => activity),
    );
  });
  return generated.length;
}

async function seedPurchases(seeding: Seeding, from: number, to: number): Promise<number> {
  const todo = await missing(seeding, purchases, 'purchase', from, to);
  if (todo.length === 0) return 0;
  const { companies: companyCount, contacts: contactCount } = seeding.size;
  const generated = todo.map(({ id, index }) => ({ id, purchase: demoPurchaseAt(demoSeed, index, companyCount, contactCount, seeding.timeline) }));
  await seeding.database.db.transaction(async (tx) => {
    const inserted = await tx
      .insert(purchases)
      .values(
        generated.map(({ id, purchase }) => ({
          tenantId: seeding.tenantId,
          id,
          contactId: idOf(seeding, 'contact', purchase.contactKey),
          orderNumber: purchase.orderNumber,
          status: 'completed',
          currency: purchase.currency,
          totalMinor: purchase.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceMinor, 0),
          purchasedAt: purchase.purchasedAt,
          createdAt: purchase.purchasedAt,
          updatedAt: purchase.purchasedAt,
        })),
      )
      .onConflictDoNothing()
      .returning({ id: purchases.id });
    const created = new Set(inserted.map((row) => row.id));
    const lines = generated
      .filter(({ id }) => created.has(id))
      .flatMap(({ id, purchase }) =>
        purchase.lines.map((line, position) => ({ tenantId: seeding.tenantId, purchaseId: id, lineNumber: position + 1, ...line })),
      );
    if (lines.length > 0) await tx.insert(purchaseLines).values(lines).onConflictDoNothing();
  });
  return generated.length;
}

async function seedEvents(seeding: Seeding, from: number, to: number): Promise<number> {
  const todo = await missing(seeding, events, 'event', from, to);
  if (todo.length === 0) return 0;
  // Within the last year: inside web analytics' retention period, so the first sweep keeps them.
  const generated = todo.map(({ id, index }) => ({ id, event: demoEventAt(demoSeed, index, seeding.size.contacts, seeding.timeline, demoEventDays) }));
  // Anonymous visitors get (or reuse) a visitor profile through the kernel, once per id per batch.
  const sightings = new Map<string, AnonymousSighting>();
  for (const { event } of generated) {
    if (event.contactKey !== null || event.anonymousId === null) continue;
    const at = event.occurredAt.toISOString();
    const seen = sightings.get(event.anonymousId) ?? { anonymousId: event.anonymousId, firstSeenAt: at, lastSeenAt: at };
    sightings.set(event.anonymousId, {
      ...seen,
      firstSeenAt: seen.firstSeenAt < at ? seen.firstSeenAt : at,
      lastSeenAt: seen.lastSeenAt > at ? seen.lastSeenAt : at,
    });
  }
  // Behaviour is collected for web analytics, the purpose the catalog declares it for.
  const tracking: PurposeContext = { ...seeding.ctx, purpose: 'web_analytics' };
  await seeding.database.db.transaction(async (tx) => {
    const { subjects, createdVisitorIds } = await resolveAnonymousIds(tx, tracking, [...sightings.values()]);
    await giveNewVisitorsConsent(tx, seeding.ctx, sightings, subjects, createdVisitorIds);
    const rows: NewEventRecord[] = generated.map(({ id, event }) => {
      const anonymous = event.contactKey === null && event.anonymousId !== null ? subjects.get(event.anonymousId) : undefined;
      return {
        id,
        contactId: event.contactKey ? idOf(seeding, 'contact', event.contactKey) : (anonymous?.contactId ?? null),
        visitorId: anonymous?.visitorId ?? null,
        type: event.type,
        occurredAt: event.occurredAt.toISOString(),
        properties: { ...event.properties },
      };
    });
    await insertEvents(tx, tracking, rows);
  });
  return generated.length;
}

/** Writes the missing records with indexes [from, to) of one kind; returns how many it added (consents: seedConsents.ts). */
export const seeders: Record<Exclude<SeedPhase, 'consents'>, (seeding: Seeding, from: number, to: number) => Promise<number>> = {
  companies: seedCompanies,
  contacts: seedContacts,
  deals: seedDeals,
  activities: seedActivities,
  purchases: seedPurchases,
  events: seedEvents,
};
