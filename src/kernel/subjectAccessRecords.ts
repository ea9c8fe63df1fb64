import { sql } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { selectRows } from '../db/rows.ts';
import type { PurposeContext } from './accessContext.ts';
import { activityContentFields, openContent, type ActivityContent } from './activityContent.ts';
import { openEventProperties, type EventPropertyValue } from './eventSeals.ts';
import { kernelKeyStore } from './runtime.ts';
import { openValue, unwrapSubjectKeys } from './vault/index.ts';
import { anonymousIdField } from './visitorRecords.ts';
import type { EventRow } from './consentRecords.ts';

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
  company: { id: string; name: string } | null;
  restrictions: Array<{ restrictedAt: string; liftedAt: string | null }>;
  objections: Array<{ purposeKey: string | null; objectedAt: string }>;
  /** The consent ledger's rows as stored (evidence sealed): consentRecords.ts opens them. */
  consentRows: EventRow[];
};

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());
const isoOf = (value: Date | string): string => new Date(value).toISOString();
const number = (value: number | string | null): number | null => (value === null ? null : Number(value));

type Stamp = string;
type RowsOf = {
  deals: Array<{
    id: string;
    name: string;
    pipeline: string;
    stage: string;
    amount_minor: number | string | null;
    currency: string | null;
    expected_close_date: string | null;
    closed_at: Stamp | null;
    created_at: Stamp;
    custom: Record<string, unknown> | null;
  }> | null;
  purchases: Array<{
    id: string;
    order_number: string;
    status: string;
    currency: string;
    total_minor: number | string;
    purchased_at: Stamp;
    lines: Array<{ line_number: number; sku: string | null; name: string; quantity: number; unit_price_minor: number | string }> | null;
  }> | null;
  activities: Array<{
    id: string;
    type: string;
    content: unknown;
    occurred_at: Stamp;
    due_at: Stamp | null;
    completed_at: Stamp | null;
    other_people: number;
  }> | null;
  events: Array<{
    id: string;
    contact_id: string | null;
    visitor_id: string | null;
    type: string;
    occurred_at: Stamp;
    received_at: Stamp;
    properties: unknown;
  }> | null;
  visitors: Array<{ id: string; personal: Record<string, unknown> | null; first_seen_at: Stamp; last_seen_at: Stamp }> | null;
  restrictions: Array<{ restricted_at: Stamp; lifted_at: Stamp | null }> | null;
  objections: Array<{ purpose_key: string | null; objected_at: Stamp }> | null;
  company: { id: string; name: string } | null;
  consents: EventRow[] | null;
};

function rowsQuery(tenantId: string, subjectId: string) {
  const t = sql`${tenantId}::uuid`;
  const s = sql`${subjectId}::uuid`;
  return sql`select
    (select json_agg(x order by x.created_at, x.id) from (
       select d.id, d.name, p.name as pipeline, st.name as stage, d.amount_minor, d.currency, d.expected_close_date::text as expected_close_date,
              d.closed_at, d.created_at, d.custom
       from deal_contacts dc join deals d on d.tenant_id = dc.tenant_id and d.id = dc.deal_id
       join pipelines p on p.tenant_id = d.tenant_id and p.id = d.pipeline_id
       join pipeline_stages st on st.tenant_id = d.tenant_id and st.id = d.stage_id
       where dc.tenant_id = ${t} and dc.contact_id = ${s}) x) as deals,
    (select json_agg(x order by x.purchased_at, x.id) from (
       select p.id, p.order_number, p.status, p.currency, p.total_minor, p.purchased_at,
              (select json_agg(json_build_object('line_number', l.line_number, 'sku', l.sku, 'name', l.name, 'quantity', l.quantity,
                                                 'unit_price_minor', l.unit_price_minor) order by l.line_number)
               from purchase_lines l where l.tenant_id = p.tenant_id and l.purchase_id = p.id) as lines
       from purchases p where p.tenant_id = ${t} and p.contact_id = ${s}) x) as purchases,
    (select json_agg(x order by x.occurred_at, x.id) from (
       select a.id, a.type, a.content, a.occurred_at, a.due_at, a.completed_at,
              (select count(*) from activity_links o
               where o.tenant_id = a.tenant_id and o.activity_id = a.id and o.object = 'contact' and o.record_id <> ${s})::int as other_people
       from activity_links l join activities a on a.tenant_id = l.tenant_id and a.id = l.activity_id
       where l.tenant_id = ${t} and l.object = 'contact' and l.record_id = ${s}) x) as activities,
    (select json_agg(x order by x.occurred_at, x.id) from (
       select id, contact_id, visitor_id, type, occurred_at, received_at, properties from events
       where tenant_id = ${t} and contact_id = ${s}) x) as events,
    (select json_agg(x order by x.first_seen_at, x.id) from (
       select id, personal, first_seen_at, last_seen_at from visitors where tenant_id = ${t} and merged_into_contact_id = ${s}) x) as visitors,
    (select json_agg(x order by x.restricted_at) from (
       select restricted_at, lifted_at from restrictions where tenant_id = ${t} and subject_id = ${s}) x) as restrictions,
    (select json_agg(x order by x.objected_at, x.id) from (
       select id, purpose_key, objected_at from objections where tenant_id = ${t} and subject_id = ${s}) x) as objections,
    (select json_build_object('id', co.id, 'name', co.name) from contacts c join companies co on co.tenant_id = c.tenant_id and co.id = c.company_id
       where c.tenant_id = ${t} and c.id = ${s}) as company,
    (select json_agg(x order by x.recorded_at, x.id) from (
       select id, subject_id, purpose_key, state, recorded_at, expires_at, notice_version, notice_hash, channel, evidence, actor
       from consent_events where tenant_id = ${t} and subject_id = ${s}) x) as consents`;
}

/** Every record naming the subject, opened. The caller has decided the read and audits it. */
export async function subjectRecordsOf(tx: Executor, ctx: PurposeContext, subjectId: string): Promise<SubjectRecords> {
  const [rows] = await selectRows<RowsOf>(tx, rowsQuery(ctx.tenantId, subjectId));
  const activityRows = rows?.activities ?? [];
  const visitorRows = rows?.visitors ?? [];
  const eventRows = rows?.events ?? [];
  // Activities' text is sealed under a key of its own (its id), a visitor's id under the visitor's: one read of them all.
  const sealedOwners = [...activityRows.map((row) => row.id), ...visitorRows.map((row) => row.id)];
  const keys = sealedOwners.length > 0 ? await unwrapSubjectKeys(tx, kernelKeyStore(), ctx.tenantId, sealedOwners) : new Map();
  const opened =
    eventRows.length > 0
      ? await openEventProperties(
          tx,
          ctx,
          eventRows.map((row) => ({
            id: row.id,
            contactId: row.contact_id,
            visitorId: row.visitor_id,
            receivedAt: new Date(row.received_at),
            properties: row.properties,
          })),
        )
      : [];
  return {
    deals: (rows?.deals ?? []).map((row) => ({
      id: row.id,
      name: row.name,
      pipeline: row.pipeline,
      stage: row.stage,
      amountMinor: number(row.amount_minor),
      currency: row.currency,
      expectedCloseDate: row.expected_close_date,
      closedAt: iso(row.closed_at),
      createdAt: isoOf(row.created_at),
      customFields: row.custom ?? {},
    })),
    purchases: (rows?.purchases ?? []).map((row) => ({
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
    })),
    activities: activityRows.map((row) => {
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
    }),
    events: eventRows.map((row, index) => {
      const open = opened[index]!;
      return {
        id: row.id,
        type: row.type,
        occurredAt: isoOf(row.occurred_at),
        receivedAt: isoOf(row.received_at),
        ...('properties' in open ? { properties: open.properties } : { properties: null, withheld: open.withheld }),
      };
    }),
    visitors: visitorRows.map((row) => {
      const sealed = row.personal?.[anonymousIdField];
      const visitorKeys = keys.get(row.id);
      const anonymousId = visitorKeys && typeof sealed === 'string' ? String(openValue(visitorKeys, anonymousIdField, sealed)) : null;
      return { id: row.id, anonymousId, firstSeenAt: isoOf(row.first_seen_at), lastSeenAt: isoOf(row.last_seen_at) };
    }),
    company: rows?.company ?? null,
    restrictions: (rows?.restrictions ?? []).map((row) => ({ restrictedAt: isoOf(row.restricted_at), liftedAt: iso(row.lifted_at) })),
    objections: (rows?.objections ?? []).map((row) => ({ purposeKey: row.purpose_key, objectedAt: isoOf(row.objected_at) })),
    consentRows: rows?.consents ?? [],
  };
}
