import { z } from 'zod';
import type { RequestIdentity } from '../../kernel/index.ts';
import { requestKinds } from '../../privacy/requests/deadlines.ts';
import type { RequestEvent, RightsRequest } from '../../privacy/requests/requestRecords.ts';
import type { CorrectionDiff } from '../../privacy/requests/requestRectification.ts';
import { denialCodes, requestStates } from '../../privacy/requests/requestStates.ts';
import { nameComponent, uuid } from '../openapi/components.ts';

// The shapes of rights requests in the staff API and the portal.

export const requestKindSchema = z.enum(requestKinds).describe('The right exercised');
export const regimeSchema = z.enum(['gdpr', 'ccpa']).describe('The law whose deadlines apply');
const date = z.string().describe('YYYY-MM-DD in the jurisdiction');
const dateOrNull = date.nullable();

const identitySchema = z.object({
  email: z.string(),
  name: z.string().nullable(),
  details: z.string().nullable(),
  corrections: z.record(z.string(), z.string().nullable()).optional().describe("A rectification's requested values by catalog field name"),
  vouched: z
    .record(z.string(), z.union([z.string(), z.boolean(), z.record(z.string(), z.string())]))
    .optional()
    .describe('What an authorised agent vouched for beside the address: phone_number, address, email_verified…'),
});
const correctionSchema = z.object({
  field: z.string(),
  current: z.unknown().describe('The value held now (null when none or not readable)'),
  requested: z.string().nullable(),
});
nameComponent(correctionSchema, 'RequestCorrection', 'One field of a rectification: held now and requested');
nameComponent(identitySchema, 'RequestIdentity', "The requester's identity as they gave it (sealed at rest; null once shredded)");

const eventSchema = z.object({
  sequence: z.number().int(),
  action: z.string(),
  fromState: z.enum(requestStates).nullable(),
  toState: z.enum(requestStates),
  reason: z.string().nullable(),
  actor: z.string(),
  occurredAt: z.string(),
});
nameComponent(eventSchema, 'RequestEvent', 'One transition of a rights request');

export const rightsRequestSchema = z.object({
  id: uuid,
  kind: requestKindSchema,
  regime: regimeSchema,
  jurisdiction: z.string().describe('Whose working days count: DE, DE-BY, US-CA…'),
  channel: z.enum(['portal', 'staff', 'api', 'agent']).describe('agent: filed by an authorised agent through the Data Rights Protocol'),
  state: z.enum(requestStates),
  contactId: uuid.nullable().describe('The contact the request concerns; null when no contact holds the address'),
  purposeKey: z.string().nullable().describe("An objection's purpose; null objects to all direct marketing"),
  receivedAt: z.string(),
  receivedOn: date,
  acknowledgeBy: dateOrNull.describe('CCPA: confirm receipt by'),
  respondBy: date.describe('Answer by, without extension'),
  extensionNoticeBy: dateOrNull.describe('Last day to extend (with reasons sent to the person)'),
  extendedRespondBy: dateOrNull.describe('Answer by, once extended'),
  dueOn: date.describe('The date the answer is due now'),
  overdue: z.boolean(),
  acknowledgedAt: z.string().nullable().describe('When receipt was confirmed to the requester (POST …/confirm-receipt)'),
  confirmationOverdue: z.boolean().describe('Open, unconfirmed and past acknowledgeBy in its jurisdiction'),
  extendedAt: z.string().nullable(),
  extensionReason: z.string().nullable(),
  denialReason: z.string().nullable(),
  denialCode: z.enum(denialCodes).nullable().describe('Why it was denied, as a code'),
  withdrawalReason: z.string().nullable().describe('What the person said when they withdrew it'),
  outcome: z.record(z.string(), z.unknown()).nullable().describe('What completing it did (ids, counts and flags)'),
  verifiedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  version: z.number().int(),
  identity: identitySchema.nullable().optional().describe('Present when one request is read'),
  events: z.array(eventSchema).optional().describe('Present when one request is read'),
  corrections: z.array(correctionSchema).optional().describe('A rectification read alone: each requested field beside its value now'),
});
nameComponent(rightsRequestSchema, 'RightsRequest', 'A data-subject rights request with its legal deadlines');

const iso = (value: Date | null) => (value === null ? null : value.toISOString());

export function requestView(
  request: RightsRequest,
  extra: { identity?: RequestIdentity | null; events?: RequestEvent[]; corrections?: CorrectionDiff[] } = {},
) {
  return {
    id: request.id,
    kind: request.kind,
    regime: request.regime,
    jurisdiction: request.jurisdiction,
    channel: request.channel,
    state: request.state,
    contactId: request.subjectId,
    purposeKey: request.purposeKey,
    receivedAt: request.receivedAt.toISOString(),
    ...request.deadlines,
    dueOn: request.dueOn,
    overdue: request.overdue,
    acknowledgedAt: iso(request.acknowledgedAt),
    confirmationOverdue: request.confirmationOverdue,
    extendedAt: iso(request.extendedAt),
    extensionReason: request.extensionReason,
    denialReason: request.denialReason,
    denialCode: request.denialCode,
    withdrawalReason: request.withdrawalReason,
    outcome: request.outcome,
    verifiedAt: iso(request.verifiedAt),
    closedAt: iso(request.closedAt),
    version: request.version,
    ...('identity' in extra ? { identity: extra.identity ?? null } : {}),
    ...(extra.corrections ? { corrections: extra.corrections } : {}),
    ...(extra.events ? { events: extra.events.map((event) => ({ ...event, occurredAt: event.occurredAt.toISOString() })) } : {}),
  };
}

export const requestEnvelope = z.object({ data: rightsRequestSchema });
export const correctionsBody = z
  .record(z.string().max(63), z.string().max(1000).nullable())
  .optional()
  .describe('A rectification: the corrected values by catalog field name (first_name, email…; null removes), sealed with the identity');
export const reasonBody = z.strictObject({ reason: z.string().trim().min(1).max(2000).describe('Sent to the person; free text, not audited') });
export const denialBody = reasonBody.extend({
  code: z.enum(denialCodes).optional().describe('Why, as a code (the Data Rights Protocol reports it to an agent); other by default'),
});
export const optionalReasonBody = z.strictObject({ reason: z.string().trim().min(1).max(2000).optional() });
