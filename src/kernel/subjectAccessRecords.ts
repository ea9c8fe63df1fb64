import { sql } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { selectRows } from '../db/rows.ts';
import type { PurposeContext } from './accessContext.ts';
import { activityContentFields, openContent, type ActivityContent } from './activityContent.ts';
import { openEventProperties, type EventPropertyValue } from './eventSeals.ts';
import { kernelKeyStore } from './runtime.ts';
import { openValue, unwrapSubjectKeys } from './vault/index.ts';
import { anonymousIdField } from './visitorRecords.ts';

/*
 * The records that name one data subject, read for their access request
 * (src/kernel/subjectAccess.ts decides and audits): deals they are in, purchases they made,
 * activities linked to them with their text opened, their behavioural events with their
 * properties opened, and the visitor profiles merged into them. One statement per kind,
 * each driven by the subject's index (deal_contacts, purchases, activity_links, events),
 * so the cost follows the subject's own rows, not the size of the workspace.
 */

export type AccessDeal = {
  id: string;
  name: string;
  pipeline: string;
  stage: string;
  amountMinor: number | null;
  currency: string | null;
  expectedCloseDate: string | null;
  closedAt: string | null;
  createdAt: string;
  customFields: Record<string, unknown>;
};
export type AccessPurchaseLine = { lineNumber: number; sku: string | null; name: string; quantity: number; unitPriceMinor: number };
export type AccessPurchase = {
  id: string;
  orderNumber: string;
  status: string;
  currency: string;
  totalMinor: number;
  purchasedAt: string;
  lines: AccessPurchaseLine[];
};
export type AccessActivity = {
  id: string;
  type: string;
  occurredAt: string;
  dueAt: string | null;
  completedAt: string | null;
  /** How many other people the activity is linked to (who they are is their data, not this subject's). */
  otherPeople: number;
} & ActivityContent;
export type AccessEvent = {
  id: string;
  type: string;
  occurredAt: string;
  receivedAt: string;
  properties: Record<string, EventPropertyValue> | null;
  /** Why the properties are absent: the key that sealed them is gone. */
  withheld?: 'erased' | 'unrecoverable';
};
export type AccessVisitor = { id: string; anonymousId: string | null; firstSeenAt: string; lastSeenAt: string };

export type SubjectRecords = {
  deals: AccessDeal[];
  purchases: AccessPurchase[];
  activities: AccessActivity[];
  events: AccessEvent[];
  visitors: AccessVisitor[];
};

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());
const isoOf = (value: Date | string): string => new Date(value).toISOString();
const number = (value: number | string | null): number | null => (value === null ? null : Number(value));

async function dealsOf(tx: Executor, tenantId: string, subjectId: string): Promise<AccessDeal[]> {
  const rows = await selectRows<{
    id: string;
    name: string;
    pipeline: string;
    stage: string;
    amount_minor: number | string | null;
    currency: string | null;
    expected_close_date: string | Date | null;
    closed_at: string | Date | null;
    created_at: string | Date;
    custom: Record<string, unknown>;
  }>(
    tx,
    sql`select d.id, d.name, p.name as pipeline, s.name as stage, d.amount_minor, d.currency, d.expected_close_date::text as expected_close_date,
               d.closed_at, d.created_at, d.custom
        from deal_contacts dc
        join deals d on d.tenant_id = dc.tenant_id and d.id = dc.deal_id
        join pipelines p on p.tenant_id = d.tenant_id and p.id = d.pipeline_id
        join pipeline_stages s on s.tenant_id = d.tenant_id and s.id = d.stage_id
        where dc.tenant_id = ${tenantId}::uuid and dc.contact_id = ${subjectId}::uuid
        order by d.created_at, d.id`,
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    pipeline: row.pipeline,
    stage: row.stage,
    amountMinor: number(row.amount_minor),
    currency: row.currency,
    expectedCloseDate: row.expected_close_date === null ? null : String(row.expected_close_date),
    closedAt: iso(row.closed_at),
    createdAt: isoOf(row.created_at),
    customFields: row.custom ?? {},
  }));
}

async function purchasesOf(tx: Executor, tenantId: string, subjectId: string): Promise<AccessPurchase[]> {
  const rows = await selectRows<{
    id: string;
    order_number: string;
    status: string;
    currency: string;
    total_minor: number | string;
    purchased_at: string | Date;
    lines: Array<{ line_number: number; sku: string | null; name: string; quantity: number; unit_price_minor: number | string }> | null;
  }>(
    tx,
    sql`select p.id, p.order_number, p.status, p.currency, p.total_minor, p.purchased_at,
               (select json_agg(json_build_object('line_number', l.line_number, 'sku', l.sku, 'name', l.name, 'quantity', l.quantity,
                                                  'unit_price_minor', l.unit_price_minor) order by l.line_number)
                from purchase_lines l where l.tenant_id = p.tenant_id and l.purchase_id = p.id) as lines
        from purchases p
        where p.tenant_id = ${tenantId}::uuid and p.contact_id = ${subjectId}::uuid
        order by p.purchased_at, p.id`,
  );
  return rows.map((row) => ({
    id: row.id,
    orderNumber: row.order_number,
    status: row.status,
    currency: row.currency,
    totalMinor: Number(row.total_minor),
    purchasedAt: isoOf(row.purchased_at),
    lines: (row.lines ?? []).map((line) => ({
      lineNumber: line.line_number,
      sku: line.sku,
      name: line.name,
      quantity: line.quantity,
      unitPriceMinor: Number(line.unit_price_minor),
    })),
  }));
}

async function activitiesOf(tx: Executor, tenantId: string, subjectId: string): Promise<AccessActivity[]> {
  const rows = await selectRows<{
    id: string;
    type: string;
    content: unknown;
    occurred_at: string | Date;
    due_at: string | Date | null;
    completed_at: string | Date | null;
    other_people: number | string;
  }>(
    tx,
    sql`select a.id, a.type, a.content, a.occurred_at, a.due_at, a.completed_at,
               (select count(*) from activity_links o
                where o.tenant_id = a.tenant_id and o.activity_id = a.id and o.object = 'contact' and o.record_id <> ${subjectId}::uuid) as other_people
        from activity_links l
        join activities a on a.tenant_id = l.tenant_id and a.id = l.activity_id
        where l.tenant_id = ${tenantId}::uuid and l.object = 'contact' and l.record_id = ${subjectId}::uuid
        order by a.occurred_at, a.id`,
  );
  // An activity's text is sealed under a key of its own (its id).
  const keys = await unwrapSubjectKeys(
    tx,
    kernelKeyStore(),
    tenantId,
    rows.map((row) => row.id),
  );
  return rows.map((row) => {
    const activityKeys = keys.get(row.id);
    return {
      id: row.id,
      type: row.type,
      occurredAt: isoOf(row.occurred_at),
      dueAt: iso(row.due_at),
      completedAt: iso(row.completed_at),
      otherPeople: Number(row.other_people),
      ...(activityKeys ? openContent(activityKeys, row.content, activityContentFields) : {}),
    };
  });
}

async function visitorsOf(tx: Executor, tenantId: string, subjectId: string): Promise<AccessVisitor[]> {
  const rows = await selectRows<{ id: string; personal: Record<string, unknown>; first_seen_at: string | Date; last_seen_at: string | Date }>(
    tx,
    sql`select id, personal, first_seen_at, last_seen_at from visitors
        where tenant_id = ${tenantId}::uuid and merged_into_contact_id = ${subjectId}::uuid order by first_seen_at, id`,
  );
  const keys = await unwrapSubjectKeys(
    tx,
    kernelKeyStore(),
    tenantId,
    rows.map((row) => row.id),
  );
  return rows.map((row) => {
    const sealed = row.personal?.[anonymousIdField];
    const visitorKeys = keys.get(row.id);
    const anonymousId = visitorKeys && typeof sealed === 'string' ? String(openValue(visitorKeys, anonymousIdField, sealed)) : null;
    return { id: row.id, anonymousId, firstSeenAt: isoOf(row.first_seen_at), lastSeenAt: isoOf(row.last_seen_at) };
  });
}

async function eventsOf(tx: Executor, ctx: PurposeContext, subjectId: string): Promise<AccessEvent[]> {
  const rows = await selectRows<{
    id: string;
    contact_id: string | null;
    visitor_id: string | null;
    type: string;
    occurred_at: string | Date;
    received_at: string | Date;
    properties: unknown;
  }>(
    tx,
    sql`select id, contact_id, visitor_id, type, occurred_at, received_at, properties from events
        where tenant_id = ${ctx.tenantId}::uuid and contact_id = ${subjectId}::uuid order by occurred_at, id`,
  );
  const opened = await openEventProperties(
    tx,
    ctx,
    rows.map((row) => ({
      id: row.id,
      contactId: row.contact_id,
      visitorId: row.visitor_id,
      receivedAt: new Date(row.received_at),
      properties: row.properties,
    })),
  );
  return rows.map((row, index) => {
    const open = opened[index]!;
    return {
      id: row.id,
      type: row.type,
      occurredAt: isoOf(row.occurred_at),
      receivedAt: isoOf(row.received_at),
      ...('properties' in open ? { properties: open.properties } : { properties: null, withheld: open.withheld }),
    };
  });
}

/** Every record naming the subject, opened. The caller has decided the read and audits it. */
export async function subjectRecordsOf(tx: Executor, ctx: PurposeContext, subjectId: string): Promise<SubjectRecords> {
  return {
    deals: await dealsOf(tx, ctx.tenantId, subjectId),
    purchases: await purchasesOf(tx, ctx.tenantId, subjectId),
    activities: await activitiesOf(tx, ctx.tenantId, subjectId),
    events: await eventsOf(tx, ctx, subjectId),
    visitors: await visitorsOf(tx, ctx.tenantId, subjectId),
  };
}
