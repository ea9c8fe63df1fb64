import { z } from 'zod';
import { requirePurpose, type ConsentEvent } from '../../kernel/index.ts';
import { contactConsentHistory, recordContactConsent, recordContactTcf, staffConsentChannels, staffConsentStates } from '../../privacy/consents.ts';
import { maxTcStringLength } from '../../privacy/tcf/tcfSignal.ts';
import { requestDoubleOptIn } from '../../privacy/doubleOptIn.ts';
import { deliverDoubleOptIn, doubleOptInSettings } from '../doubleOptInDelivery.ts';
import { consentChannels, consentEventStates } from '../../shared/consentVocabulary.ts';
import { nameComponent, uuid, uuidLookup } from '../openapi/components.ts';
import { accessContext } from '../principal.ts';
import { dateOrNull, idempotencyRequestOf, instant, isoOrNull, singleEnvelope, withheldSchema } from './recordRouteSupport.ts';
import { routePlugin } from './routePlugin.ts';

/*
 * A contact's consents as staff see them: record what the person said about a purpose, and
 * read the consent ledger back. Both name their purpose in Candor-Purpose like any request
 * that reaches personal data (the note is sealed under the contact's key).
 */

const consentEventSchema = z.object({
  id: uuid,
  contactId: uuid,
  purposeKey: z.string(),
  state: z.enum(consentEventStates),
  dpvStatus: z.string().describe('The W3C DPV consent-status class of the state, e.g. https://w3id.org/dpv#ConsentGiven'),
  recordedAt: z.string(),
  expiresAt: z.string().nullable().describe("Given or renewed consent stops counting at this time (from the purpose's consent validity); null: no expiry"),
  noticeVersion: z.number().int().nullable(),
  noticeHash: z.string().nullable(),
  channel: z.enum(consentChannels),
  actor: z.string().describe('Who recorded it: user:<id>, api_key:<id> or system:<name>'),
  evidence: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
    .nullable()
    .describe('How the person said it (a note, a form id, keyed hashes); personal, sealed under their key; null when none'),
  evidenceWithheld: z.enum(['erased']).optional().describe('Set when evidence was recorded but can no longer be opened: the person was erased'),
});

nameComponent(consentEventSchema, 'ConsentEvent', "One event of a person's consent ledger (append-only)");

const consentEnvelope = singleEnvelope(consentEventSchema);
const renewalDueSchema = z.object({
  purposeKey: z.string(),
  givenUnderVersion: z.number().int().nullable().describe('The notice version the live consent was given under (null: before notices were versioned)'),
  noticeVersion: z.number().int().describe('The material notice version that asks for renewal'),
  renewBy: z.string().describe('When consents under older versions stop counting (past: they no longer count)'),
});
nameComponent(renewalDueSchema, 'ConsentRenewalDue', 'A purpose whose consent the person should be asked to renew under a materially changed notice');
const historySchema = z.object({
  data: z.array(consentEventSchema),
  renewalDue: z
    .array(renewalDueSchema)
    .describe('Purposes to ask the person about again at their next visit or e-mail: their consent predates a material notice change'),
  withheld: withheldSchema,
});
const idParams = z.object({ id: uuidLookup });

const bodySchema = z.object({
  purposeKey: z.string().min(1).max(100).describe('The purpose the person agreed to, refused or withdrew from (a consent purpose)'),
  state: z.enum(staffConsentStates),
  channel: z.enum(staffConsentChannels).optional().describe('How it reached you; staff (the default) for what the person told a colleague'),
  note: z.string().min(1).max(2000).optional().describe('How the person said it; sealed under their key, never in logs or the audit trail'),
  recordedAt: instant.optional().describe('When the person said it, if not now; never in the future'),
});

const tcfBodySchema = z.object({
  channel: z.literal('tcf').describe("A TC string of the IAB Transparency and Consent Framework v2, from the contact's consent management platform"),
  tcString: z
    .string()
    .min(1)
    .max(maxTcStringLength)
    .describe('The TC string; its TCF purposes are mapped to consent purposes through fideslang data uses; sealed as evidence, never logged'),
  note: z.string().min(1).max(2000).optional().describe('How it reached you; sealed with the TC string'),
});

const tcfOutcomeSchema = z.object({
  purposes: z.array(
    z.object({
      purposeKey: z.string(),
      consented: z.boolean().describe('Whether the TC string consents to every TCF purpose bearing on this purpose'),
      recorded: z.enum(['given', 'refused', 'withdrawn']).nullable().describe('The event recorded; null when the ledger already says as much'),
      eventId: uuid.nullable(),
    }),
  ),
  unmappedPurposes: z.array(z.number().int()).describe('TCF purposes (1-11) that bear on no consent purpose of this workspace: nothing was recorded for them'),
});
nameComponent(tcfOutcomeSchema, 'TcfIngest', 'What a TC string said of each consent purpose it bears on, and the TCF purposes it could not map');

const tcfEnvelope = z.object({ data: z.array(consentEventSchema), tcf: tcfOutcomeSchema, withheld: withheldSchema });

function eventOf(event: ConsentEvent): z.infer<typeof consentEventSchema> {
  return {
    id: event.id,
    contactId: event.subjectId,
    purposeKey: event.purposeKey,
    state: event.state,
    dpvStatus: event.dpvStatus,
    recordedAt: event.recordedAt.toISOString(),
    expiresAt: isoOrNull(event.expiresAt),
    noticeVersion: event.noticeVersion,
    noticeHash: event.noticeHash,
    channel: event.channel,
    actor: event.actor,
    evidence: event.evidence === null ? null : { ...event.evidence },
    ...(event.evidenceWithheld ? { evidenceWithheld: event.evidenceWithheld } : {}),
  };
}

const doubleOptInBody = z.object({
  purposeKey: z.string().min(1).max(100).describe('The consent purpose the person is asked to confirm (e.g. email_marketing)'),
  note: z.string().min(1).max(2000).optional().describe('How the person asked for it; sealed under their key, carried into the confirmed event'),
});
const doubleOptInSchema = z.object({
  data: z.object({
    status: z.enum(['pending', 'already_live']).describe('pending: a confirmation e-mail was sent; already_live: the consent is live, nobody was asked'),
    contactId: uuid,
    purposeKey: z.string(),
    requestId: uuid.nullable(),
    expiresAt: z.string().nullable().describe('When the confirmation link stops working'),
  }),
});

export const consentRoutes = routePlugin(async (app, deps) => {
  app.post(
    '/contacts/:id/consents/double-opt-in',
    {
      config: { problems: ['rate_limited'] },
      schema: {
        operationId: 'requestDoubleOptIn',
        tags: ['consents'],
        summary: 'Ask a contact to confirm consent to a purpose by e-mail (double opt-in); nothing is live until they use the link',
        description:
          'Stores a pending request and mails a one-time link (48 hours by default) to the contact; the confirmation records the consent as given, channel email_link. At most 5 mails per contact and purpose a day.',
        params: idParams,
        body: doubleOptInBody,
        response: { 202: doubleOptInSchema },
      },
    },
    async (request, reply) => {
      const ctx = requirePurpose(accessContext(request, 'contact:write'));
      const { purposeKey, note } = request.body;
      const outcome = await deps.database.db.transaction((tx) =>
        requestDoubleOptIn(
          tx,
          ctx,
          { contactId: request.params.id, purposeKey, channel: 'staff', ...(note === undefined ? {} : { evidence: { note } }) },
          doubleOptInSettings(deps),
        ),
      );
      await deliverDoubleOptIn(deps, outcome, request.log);
      const pending = outcome.status === 'pending' ? outcome : null;
      return reply.code(202).send({
        data: {
          status: outcome.status,
          contactId: outcome.contactId,
          purposeKey: outcome.purposeKey,
          requestId: pending?.requestId ?? null,
          expiresAt: pending?.expiresAt.toISOString() ?? null,
        },
      });
    },
  );

  app.post(
    '/contacts/:id/consents',
    {
      config: { idempotencyKey: true },
      schema: {
        operationId: 'recordContactConsent',
        tags: ['consents'],
        summary: "Record a contact's consent to a purpose: given, refused or withdrawn (appended to the consent ledger), or a TC string",
        description:
          'Takes effect at the next decision: a withdrawal leaves the person out of the very next read, list and export for that purpose. Raises the webhook of the recorded state (consent.given, consent.renewed — a yes under a newer notice than that of the live consent —, consent.refused or consent.withdrawn). With channel tcf the body is a TC string instead: each consent purpose its TCF purposes bear on gets the event the string changes (given, or withdrawn/refused), channel tcf, and the answer lists them all; a string that does not decode is 422 naming tcString.',
        params: idParams,
        body: z.union([bodySchema, tcfBodySchema]),
        response: { 201: z.union([consentEnvelope, tcfEnvelope]) },
      },
    },
    async (request, reply) => {
      const ctx = requirePurpose(accessContext(request, 'contact:write'));
      if (request.body.channel === 'tcf') {
        const { tcString, note } = request.body;
        const outcome = await recordContactTcf(
          ctx,
          deps.database,
          request.params.id,
          { tcString, ...(note === undefined ? {} : { note }) },
          idempotencyRequestOf(request, ctx),
        );
        reply.code(201);
        return { data: outcome.events.map(eventOf), tcf: { purposes: outcome.purposes, unmappedPurposes: outcome.unmappedPurposes }, withheld: [] };
      }
      const { recordedAt, ...input } = request.body;
      const event = await recordContactConsent(
        ctx,
        deps.database,
        request.params.id,
        { ...input, ...(recordedAt === undefined ? {} : { recordedAt: dateOrNull(recordedAt)! }) },
        idempotencyRequestOf(request, ctx),
      );
      reply.code(201);
      return { data: eventOf(event), withheld: [] };
    },
  );

  app.get(
    '/contacts/:id/consents',
    {
      schema: {
        operationId: 'listContactConsents',
        tags: ['consents'],
        summary: "A contact's consent history, oldest first, with the evidence opened",
        params: idParams,
        response: { 200: historySchema },
      },
    },
    async (request) => {
      const ctx = requirePurpose(accessContext(request, 'contact:read'));
      const { events, renewalDue } = await contactConsentHistory(ctx, deps.database.db, request.params.id);
      const due = renewalDue.map((renewal) => ({
        purposeKey: renewal.purposeKey,
        givenUnderVersion: renewal.givenUnderVersion,
        noticeVersion: renewal.materialVersion,
        renewBy: renewal.renewBy.toISOString(),
      }));
      return { data: events.map(eventOf), renewalDue: due, withheld: [] };
    },
  );
});
