import { z } from 'zod';
import { eventPropertiesSchema, eventTypes } from '../../crm/events/eventInput.ts';
import { collectSubmission, type Submission } from '../../privacy/collection.ts';
import { formKeyHeader, formKeyOf, limitFormKeyRequest, registerFormKeyPreflight } from '../formKeyRequests.ts';
import { deliverDoubleOptIn, doubleOptInSettings } from '../doubleOptInDelivery.ts';
import { isStorableInstant, storableRangeReason } from '../../shared/storableTime.ts';
import { maxTcStringLength } from '../../privacy/tcf/tcfSignal.ts';
import { routePlugin } from './routePlugin.ts';

/*
 * POST /api/v1/collect: public form and consent-widget submissions under a form key
 * (../formKeyRequests.ts: the key's header, CORS per allowed origin, limits per key and client).
 */

/** Submissions per minute: per form key (all its visitors), and per client address under one key. */
export const collectLimits = { scope: 'collect', perKey: 600, perClient: 30, windowMs: 60_000 } as const;

const submissionSchema = z
  .object({
    fields: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,62}$/), z.string().max(2000)).default({}),
    consents: z
      .array(
        z
          .object({
            purposeKey: z.string().min(1).max(100),
            given: z.boolean(),
            noticeVersion: z
              .number()
              .int()
              .min(1)
              .max(2_147_483_647)
              .optional()
              .describe('The notice version the person read (GET /collect/notices); recorded with its hash, refused once a newer one is published'),
          })
          .strict(),
      )
      .max(50)
      .default([]),
    channel: z
      .enum(['form', 'widget'])
      .optional()
      .describe("Who asks: a form (default), or Candor's consent widget (a visitor's choices and page views, no fields)"),
    visitorId: z.string().min(1).max(200).optional().describe("The visitor's first-party identifier (the anonymous id its events carry)"),
    eventPurposeKey: z.string().min(1).max(100).optional().describe('The purpose the events are collected for; required with events'),
    events: z
      .array(
        z
          .object({
            type: z.enum(eventTypes),
            occurredAt: z.iso.datetime({ offset: true }).refine(isStorableInstant, storableRangeReason),
            properties: eventPropertiesSchema.optional(),
          })
          .strict(),
      )
      .max(100)
      .optional(),
    tcString: z
      .string()
      .min(1)
      .max(maxTcStringLength)
      .optional()
      .describe("The page's IAB TCF v2 TC string (from its CMP's __tcfapi): consent evidence, channel tcf, for the consent purposes its TCF purposes bear on"),
  })
  .strict();

const receiptSchema = z.object({
  data: z.object({
    consents: z.array(z.object({ purposeKey: z.string(), state: z.enum(['given', 'refused', 'withdrawn', 'pending']) })),
    dropped: z.array(z.string()).describe('Fields not stored: no purpose whose basis holds is declared for them (drop mode)'),
    notStored: z.number().int().describe('Events not stored: no live consent to their purpose'),
    notStoredReason: z.enum(['no_live_consent']).optional(),
    tcf: z
      .object({
        purposes: z.array(z.object({ purposeKey: z.string(), consented: z.boolean() })),
        unmappedPurposes: z.array(z.number().int()).describe('TCF purposes (1-11) that bear on no consent purpose of this workspace'),
      })
      .optional()
      .describe('What the TC string said of each consent purpose it bears on; present when one was sent'),
  }),
  withheld: z.array(z.never()),
});

export const collectRoutes = routePlugin(async (app, deps) => {
  registerFormKeyPreflight(app, deps.database, '/collect', 'POST');

  app.post(
    '/collect',
    {
      config: { public: true },
      schema: {
        operationId: 'collect',
        tags: ['collection'],
        summary: "A public form's fields, consent choices and events, under a form key",
        description:
          'Only fields declared for a purpose whose basis holds are stored (a consent given in the same request counts); the others refuse the submission with 422 naming each, or are dropped and listed, as the key says. A known e-mail address changes none of its contact\'s data; e-mail marketing consent stays pending until the person uses the confirmation link mailed to the address (double opt-in). `Sec-GPC: 1` opts the visitor and the contact out of sale, sharing and targeted advertising (ledger events, channel gpc). A tcString is consent evidence for the consent purposes its TCF purposes map to (ledger events, channel tcf); one that does not decode is 422 naming tcString. The answer is the same for a known and an unknown address. A "no" to a consent that is live is recorded as its withdrawal. With `channel: widget` (Candor\'s consent widget) the request speaks for a visitor (visitorId, no fields), about the purposes GET /collect/notices lists, each choice naming the notice version it was made under.',
        headers: z.looseObject({ [formKeyHeader]: z.string().max(200).describe('The public form key, cfk_…') }),
        body: submissionSchema,
        response: { 202: receiptSchema },
      },
    },
    async (request, reply) => {
      const { key, origin } = await formKeyOf(deps.database, request, reply);
      await limitFormKeyRequest(deps.database, key, request.ip, collectLimits, 'submissions');
      const idempotencyKey = typeof request.headers['idempotency-key'] === 'string' ? request.headers['idempotency-key'] : null;
      const userAgent = typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : null;
      const sender = { ip: request.ip, userAgent, origin, gpc: request.headers['sec-gpc'] };
      const settings = doubleOptInSettings(deps);
      const { receipt, confirmations } = await collectSubmission(deps.database, key, request.body as Submission, sender, idempotencyKey, settings);
      // After commit: a rolled-back submission mails no link. Each mail goes to the address's owner, never to the sender.
      for (const confirmation of confirmations) await deliverDoubleOptIn(deps, confirmation, request.log);
      return reply.code(202).send({ data: { ...receipt, ...(receipt.notStored > 0 ? { notStoredReason: 'no_live_consent' as const } : {}) }, withheld: [] });
    },
  );
});
