import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { newId } from '../../db/ids.ts';
import { selectRows } from '../../db/rows.ts';
import { actorKey, appendAudit, matchRequestContact, sealRequestIdentity, type PurposeContext, type RequestIdentity } from '../../kernel/index.ts';
import { DomainError, invalid } from '../../shared/domainError.ts';
import { calendarDateIn, yearOf } from './calendarDates.ts';
import { type Regime, type RequestKind, requestDeadlines } from './deadlines.ts';
import { requestJurisdiction } from './jurisdictions.ts';
import { readRightsRequest, type RequestChannel, type RightsRequest } from './requestRecords.ts';
import { workingCalendar } from './requestHolidays.ts';
import { type DenialCode, type RequestAction, type RequestState, requestTransition } from './requestStates.ts';
import { queueAgentStatusCallback } from '../drp/drpCallbackQueue.ts';

/*
 * The life of a rights request: received (deadlines fixed from the jurisdiction's working
 * calendar at that moment), then each action of requestStates.ts under the row's lock. Every
 * transition is a row of rights_request_events and an audit entry (`rights_request.<action>`,
 * naming the request and, by pseudonym, the contact it concerns; reasons stay out of the
 * audit: they are free text). Requests are handled for legal_compliance, Candor's own legal
 * obligation, whatever other purposes the caller's role holds.
 */

export const rightsPurpose = 'legal_compliance';

/** Refuses (403 purpose_not_allowed, naming the header) a context acting for any other purpose. */
export function requireRightsPurpose(ctx: PurposeContext): void {
  if (ctx.purpose !== rightsPurpose) {
    throw new DomainError('purpose_not_allowed', `Rights requests are handled for ${rightsPurpose}: send Candor-Purpose: ${rightsPurpose}.`, [
      { field: 'Candor-Purpose', reason: `rights requests are handled for ${rightsPurpose}` },
    ]);
  }
}

export type NewRightsRequest = {
  kind: RequestKind;
  regime: Regime;
  jurisdiction?: string;
  channel: RequestChannel;
  identity: RequestIdentity;
  /** The contact the request is about, when staff know it; otherwise matched by the e-mail's blind index. */
  contactId?: string;
  /** An objection's purpose; omitted, the objection is to all direct marketing. */
  purposeKey?: string;
  receivedAt?: Date;
};

/** `denialCode`: why a denial, as a code (`other` when not given). */
export type TransitionOptions = { reason?: string; now?: Date; denialCode?: DenialCode };

/**
 * Whether the event's audit entry names the contact. A portal request is not linked to its
 * contact in the trail until it is verified: naming the subject (a pseudonym, with its key
 * made on first use) is work a request for an unknown address would not do, and the time it
 * takes would tell the caller that the address is a customer's.
 */
const namesSubject = (request: RightsRequest, action: string) =>
  request.subjectId !== null && (request.channel !== 'portal' || request.verifiedAt !== null || action === 'verify');

async function recordEvent(tx: Executor, ctx: PurposeContext, request: RightsRequest, action: string, to: RequestState, reason: string | null) {
  await tx.execute(sql`
    insert into rights_request_events (tenant_id, request_id, sequence, action, from_state, to_state, reason, actor)
    select ${ctx.tenantId}, ${request.id}, coalesce(max(sequence), 0) + 1, ${action}, ${action === 'receive' ? null : request.state}, ${to}, ${reason}, ${actorKey(ctx.actor)}
    from rights_request_events where tenant_id = ${ctx.tenantId} and request_id = ${request.id}`);
  await appendAudit(tx, ctx, {
    action: `rights_request.${action}`,
    object: 'rights_request',
    recordIds: [request.id],
    subjectIds: namesSubject(request, action) ? [request.subjectId as string] : [],
    detail: { kind: request.kind, regime: request.regime, from: action === 'receive' ? null : request.state, to },
  });
  // An authorised agent's request: the agent is told of each change of state (src/privacy/drp/).
  if (request.channel === 'agent' && to !== request.state) await queueAgentStatusCallback(tx, ctx.tenantId, request.id);
}

async function workspaceRegion(tx: Executor, tenantId: string): Promise<string> {
  const [row] = await selectRows<{ default_region: string }>(tx, sql`select default_region from workspaces where id = ${tenantId}`);
  return row?.default_region ?? 'US';
}

async function contactOf(tx: Executor, ctx: PurposeContext, input: NewRightsRequest): Promise<string | null> {
  if (input.contactId === undefined) return matchRequestContact(tx, ctx, input.identity.email);
  const [known] = await selectRows<{ id: string }>(
    tx,
    sql`select id from contacts where tenant_id = ${ctx.tenantId} and id::text = ${input.contactId.toLowerCase()}`,
  );
  if (!known) throw invalid('contactId', 'not a contact of this workspace');
  return known.id;
}

async function checkPurposeKey(tx: Executor, ctx: PurposeContext, input: NewRightsRequest): Promise<string | null> {
  if (input.purposeKey === undefined) return null;
  if (input.kind !== 'objection') throw invalid('purposeKey', 'only an objection names a purpose');
  const [known] = await selectRows<{ key: string }>(tx, sql`select key from purposes where tenant_id = ${ctx.tenantId} and key = ${input.purposeKey}`);
  if (!known) throw invalid('purposeKey', 'not a purpose of this workspace (GET /api/v1/purposes lists them)');
  return known.key;
}

/** Records a request as received: deadlines fixed, identity sealed, contact matched, the first event written. */
export async function receiveRightsRequest(tx: Executor, ctx: PurposeContext, input: NewRightsRequest): Promise<RightsRequest> {
  requireRightsPurpose(ctx);
  if (input.identity.corrections && input.kind !== 'rectification') throw invalid('corrections', 'only a rectification names corrections');
  const { jurisdiction, timeZone } = requestJurisdiction(input.regime, input.jurisdiction, await workspaceRegion(tx, ctx.tenantId));
  const receivedAt = input.receivedAt ?? new Date();
  const year = yearOf(calendarDateIn(receivedAt, timeZone));
  const calendar = await workingCalendar(tx, ctx.tenantId, jurisdiction, [year, year + 1]);
  const deadlines = requestDeadlines({ regime: input.regime, kind: input.kind, receivedAt, timeZone, calendar });
  const subjectId = await contactOf(tx, ctx, input);
  const purposeKey = await checkPurposeKey(tx, ctx, input);
  const id = newId();
  await tx.execute(sql`
    insert into rights_requests (tenant_id, id, subject_id, kind, regime, jurisdiction, time_zone, channel, purpose_key, received_at,
      received_on, acknowledge_by, respond_by, extension_notice_by, extended_respond_by)
    values (${ctx.tenantId}, ${id}, ${subjectId}, ${input.kind}, ${input.regime}, ${jurisdiction}, ${timeZone}, ${input.channel}, ${purposeKey},
      ${receivedAt.toISOString()}::timestamptz, ${deadlines.receivedOn}::date, ${deadlines.acknowledgeBy}::date, ${deadlines.respondBy}::date,
      ${deadlines.extensionNoticeBy}::date, ${deadlines.extendedRespondBy}::date)`);
  await sealRequestIdentity(tx, ctx, id, input.identity);
  const request = await readRightsRequest(tx, ctx.tenantId, id);
  await recordEvent(tx, ctx, request, 'receive', 'received', null);
  return request;
}

const columnsSet: Partial<Record<RequestAction, (reason: string | null, options: TransitionOptions) => SQL>> = {
  verify: () => sql`, verified_at = coalesce(verified_at, now())`,
  extend: (reason) => sql`, extended_at = now(), extension_reason = ${reason}`,
  complete: () => sql`, closed_at = now()`,
  deny: (reason, options) => sql`, closed_at = now(), denial_reason = ${reason}, denial_code = ${options.denialCode ?? 'other'}`,
  withdraw: (reason) => sql`, closed_at = now(), withdrawal_reason = ${reason}`,
};

/**
 * Moves a request by one action under its row lock (409 when its state does not allow it,
 * 422 naming `reason` when a denial or an extension gives none), writes the event and the
 * audit entry, and returns the request as it now is. `check` runs after the state check and
 * before the write (the fulfilment of a completion).
 */
export async function moveRightsRequest(
  tx: Executor,
  ctx: PurposeContext,
  id: string,
  action: RequestAction,
  options: TransitionOptions & { check?: (request: RightsRequest) => Promise<Record<string, unknown> | null> } = {},
): Promise<RightsRequest> {
  requireRightsPurpose(ctx);
  const request = await readRightsRequest(tx, ctx.tenantId, id, true);
  const today = calendarDateIn(options.now ?? new Date(), request.timeZone);
  const to = requestTransition({
    state: request.state,
    wasExtended: request.extendedAt !== null,
    action,
    reason: options.reason,
    today,
    deadlines: request.deadlines,
  });
  const outcome = (await options.check?.(request)) ?? null;
  const reason = options.reason?.trim() || null;
  const extra = columnsSet[action]?.(reason, options) ?? sql``;
  await tx.execute(sql`
    update rights_requests set state = ${to}, version = version + 1, updated_at = now()
      ${outcome === null ? sql`` : sql`, outcome = ${JSON.stringify(outcome)}::jsonb`} ${extra}
    where tenant_id = ${ctx.tenantId} and id = ${request.id}`);
  await recordEvent(tx, ctx, request, action, to, reason);
  return readRightsRequest(tx, ctx.tenantId, request.id);
}

/** Records an event that changes no state (a restriction lifted after completion), audited like a transition. */
export async function noteRightsRequest(tx: Executor, ctx: PurposeContext, request: RightsRequest, action: string, reason: string | null): Promise<void> {
  await recordEvent(tx, ctx, request, action, request.state, reason);
}
