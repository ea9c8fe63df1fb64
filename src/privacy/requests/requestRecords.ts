import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { selectRows } from '../../db/rows.ts';
import { notFound } from '../../shared/domainError.ts';
import { isUuid } from '../../db/ids.ts';
import type { CalendarDate } from './calendarDates.ts';
import type { Regime, RequestDeadlines, RequestKind } from './deadlines.ts';
import type { DenialCode, RequestState } from './requestStates.ts';

/*
 * Rows of rights_requests as the workflow sees them: ids, kinds, states, dates and reasons,
 * never the sealed identity (src/kernel/requestIdentity.ts opens that) nor the hashes of
 * codes and links (requestVerification.ts reads those under its lock).
 */

export type RequestChannel = 'portal' | 'staff' | 'api' | 'agent';

export type RightsRequest = {
  id: string;
  tenantId: string;
  subjectId: string | null;
  kind: RequestKind;
  regime: Regime;
  jurisdiction: string;
  timeZone: string;
  channel: RequestChannel;
  /** An objection's purpose; null objects to all direct marketing (Art. 21(2)). */
  purposeKey: string | null;
  state: RequestState;
  receivedAt: Date;
  deadlines: RequestDeadlines;
  /** The date the answer is due now: the extended date once extended. */
  dueOn: CalendarDate;
  /** Whether the due date has passed in the jurisdiction's calendar while the request is open. */
  overdue: boolean;
  /** When receipt was confirmed to the requester (CCPA: due by deadlines.acknowledgeBy). */
  acknowledgedAt: Date | null;
  /** Whether the confirm-by date has passed with receipt unconfirmed while the request is open. */
  confirmationOverdue: boolean;
  extendedAt: Date | null;
  extensionReason: string | null;
  denialReason: string | null;
  /** Why it was denied, as a code; null unless denied. */
  denialCode: DenialCode | null;
  /** What the person said when they withdrew it, if anything. */
  withdrawalReason: string | null;
  outcome: Record<string, unknown> | null;
  verifiedAt: Date | null;
  closedAt: Date | null;
  version: number;
};

type Row = {
  id: string;
  tenant_id: string;
  subject_id: string | null;
  kind: RequestKind;
  regime: Regime;
  jurisdiction: string;
  time_zone: string;
  channel: RequestChannel;
  purpose_key: string | null;
  state: RequestState;
  received_at: string | Date;
  received_on: string;
  acknowledge_by: string | null;
  respond_by: string;
  extension_notice_by: string | null;
  extended_respond_by: string | null;
  due_on: string;
  overdue: boolean;
  acknowledged_at: string | Date | null;
  confirmation_overdue: boolean;
  extended_at: string | Date | null;
  extension_reason: string | null;
  denial_reason: string | null;
  denial_code: DenialCode | null;
  withdrawal_reason: string | null;
  outcome: Record<string, unknown> | string | null;
  verified_at: string | Date | null;
  closed_at: string | Date | null;
  version: number;
};

const dateOrNull = (value: string | Date | null) => (value === null ? null : new Date(value));

function requestOf(row: Row): RightsRequest {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    subjectId: row.subject_id,
    kind: row.kind,
    regime: row.regime,
    jurisdiction: row.jurisdiction,
    timeZone: row.time_zone,
    channel: row.channel,
    purposeKey: row.purpose_key,
    state: row.state,
    receivedAt: new Date(row.received_at),
    deadlines: {
      receivedOn: row.received_on,
      acknowledgeBy: row.acknowledge_by,
      respondBy: row.respond_by,
      extensionNoticeBy: row.extension_notice_by,
      extendedRespondBy: row.extended_respond_by,
    },
    dueOn: row.due_on,
    overdue: row.overdue,
    acknowledgedAt: dateOrNull(row.acknowledged_at),
    confirmationOverdue: row.confirmation_overdue,
    extendedAt: dateOrNull(row.extended_at),
    extensionReason: row.extension_reason,
    denialReason: row.denial_reason,
    denialCode: row.denial_code,
    withdrawalReason: row.withdrawal_reason,
    outcome: typeof row.outcome === 'string' ? (JSON.parse(row.outcome) as Record<string, unknown>) : row.outcome,
    verifiedAt: dateOrNull(row.verified_at),
    closedAt: dateOrNull(row.closed_at),
    version: Number(row.version),
  };
}

/** The due date of a request row `r`: the extended one once extended. */
export const dueOnSql = sql`(case when r.extended_at is null then r.respond_by else r.extended_respond_by end)`;
/** Today in the request's own jurisdiction. */
export const todaySql = sql`(now() at time zone r.time_zone)::date`;
/** An open request whose receipt is still to be confirmed (CCPA requests to know, delete or correct). */
export const unconfirmedSql = sql`(r.closed_at is null and r.acknowledge_by is not null and r.acknowledged_at is null)`;
/** An unconfirmed request past its confirm-by date in its jurisdiction. */
export const confirmationOverdueSql = sql`(${unconfirmedSql} and r.acknowledge_by < ${todaySql})`;

const columns = sql`r.id, r.tenant_id, r.subject_id, r.kind, r.regime, r.jurisdiction, r.time_zone, r.channel, r.purpose_key, r.state,
  r.received_at, r.received_on::text as received_on, r.acknowledge_by::text as acknowledge_by, r.respond_by::text as respond_by,
  r.extension_notice_by::text as extension_notice_by, r.extended_respond_by::text as extended_respond_by,
  ${dueOnSql}::text as due_on, (r.closed_at is null and ${dueOnSql} < ${todaySql}) as overdue,
  r.acknowledged_at, ${confirmationOverdueSql} as confirmation_overdue,
  r.extended_at, r.extension_reason, r.denial_reason, r.denial_code, r.withdrawal_reason, r.outcome, r.verified_at, r.closed_at, r.version`;

export async function selectRequests(tx: Executor, tenantId: string, where: SQL, tail: SQL = sql``): Promise<RightsRequest[]> {
  const rows = await selectRows<Row>(tx, sql`select ${columns} from rights_requests r where r.tenant_id = ${tenantId} and ${where} ${tail}`);
  return rows.map(requestOf);
}

/** The request, or 404 when it is not one of this workspace; `forUpdate` locks its row. */
export async function readRightsRequest(tx: Executor, tenantId: string, id: string, forUpdate = false): Promise<RightsRequest> {
  if (!isUuid(id)) throw notFound('request');
  const [request] = await selectRequests(tx, tenantId, sql`r.id = ${id.toLowerCase()}`, forUpdate ? sql`for update` : sql``);
  if (!request) throw notFound('request');
  return request;
}

export type RequestEvent = {
  sequence: number;
  action: string;
  fromState: RequestState | null;
  toState: RequestState;
  reason: string | null;
  actor: string;
  occurredAt: Date;
};

/** A request's transitions, oldest first. */
export async function requestEvents(tx: Executor, tenantId: string, requestId: string): Promise<RequestEvent[]> {
  const rows = await selectRows<{
    sequence: number;
    action: string;
    from_state: RequestState | null;
    to_state: RequestState;
    reason: string | null;
    actor: string;
    occurred_at: string | Date;
  }>(
    tx,
    sql`select sequence, action, from_state, to_state, reason, actor, occurred_at from rights_request_events
        where tenant_id = ${tenantId} and request_id = ${requestId} order by sequence`,
  );
  return rows.map((row) => ({
    sequence: Number(row.sequence),
    action: row.action,
    fromState: row.from_state,
    toState: row.to_state,
    reason: row.reason,
    actor: row.actor,
    occurredAt: new Date(row.occurred_at),
  }));
}
