import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { eventPropertiesSchema, eventTypes } from '../../crm/events/eventInput.ts';
import { collectSubmission, type Submission } from '../../privacy/collection.ts';
import { formKeysAllowOrigin, verifyFormKey, type FormKey } from '../../privacy/formKeys.ts';
import { hit, rateLimitKey, rateLimited } from '../../platform/rateLimit.ts';
import { DomainError } from '../../shared/domainError.ts';
import { deliverDoubleOptIn, doubleOptInSettings } from '../doubleOptInDelivery.ts';
import { isStorableInstant, storableRangeReason } from '../../shared/storableTime.ts';
import { maxTcStringLength } from '../../privacy/tcf/tcfSignal.ts';
import { routePlugin } from './routePlugin.ts';

/*
 * POST /api/v1/collect: public form submissions under a form key (Candor-Form-Key header,
 * never the URL). CORS is answered only for the key's allowed origins; a request from any
 * other origin gets no CORS header and 403. A preflight cannot carry the key, so it is
 * answered for an origin some live form key allows, and the submission itself is checked
 * against its own key's list. Limits hold per key and per client address.
 */

export const formKeyHeader = 'candor-form-key';
/** Submissions per minute: per form key (all its visitors), and per client address under one key. */
export const collectLimits = { perKey: 600, perClient: 30, windowMs: 60_000 } as const;

const submissionSchema = z
  .object({
    fields: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,62}$/), z.string().max(2000)).default({}),
    consents: z
      .array(z.object({ purposeKey: z.string().min(1).max(100), given: z.boolean() }).strict())
      .max(50)
      .default([]),
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
    consents: z.array(z.object({ purposeKey: z.string(), state: z.enum(['given', 'refused', 'pending']) })),
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

const badKey = () =>
  new DomainError('unauthenticated', 'Send a live form key in the Candor-Form-Key header.', [
    { field: 'Candor-Form-Key', reason: 'unknown, rotated or revoked' },
  ]);
const badOrigin = () =>
  new DomainError('forbidden', "This page's origin is not among the form key's allowed origins.", [{ field: 'Origin', reason: 'not allowed' }]);

const originOf = (request: FastifyRequest) => (typeof request.headers.origin === 'string' ? request.headers.origin : null);

function allowOrigin(reply: FastifyReply, origin: string): void {
  reply.header('access-control-allow-origin', origin);
  reply.header('vary', 'Origin');
}

export const collectRoutes = routePlugin(async (app, deps) => {
  app.options('/collect', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    const origin = originOf(request);
    if (!origin || !(await originAllowedByAnyKey(origin))) throw badOrigin();
    allowOrigin(reply, origin);
    reply.header('access-control-allow-methods', 'POST');
    reply.header('access-control-allow-headers', 'Content-Type, Candor-Form-Key, Idempotency-Key');
    reply.header('access-control-max-age', '600');
    return reply.code(204).send();
  });

  const originAllowedByAnyKey = (origin: string) => formKeysAllowOrigin(deps.database.db, origin);

  app.post(
    '/collect',
    {
      config: { public: true },
      schema: {
        operationId: 'collect',
        tags: ['collection'],
        summary: "A public form's fields, consent choices and events, under a form key",
        description:
          "Only fields declared for a purpose whose basis holds are stored (a consent given in the same request counts); the others refuse the submission with 422 naming each, or are dropped and listed, as the key says. A known e-mail address changes none of its contact's data; e-mail marketing consent stays pending until the person uses the confirmation link mailed to the address (double opt-in). `Sec-GPC: 1` opts the visitor and the contact out of sale, sharing and targeted advertising (ledger events, channel gpc). A tcString is consent evidence for the consent purposes its TCF purposes map to (ledger events, channel tcf); one that does not decode is 422 naming tcString. The answer is the same for a known and an unknown address.",
        headers: z.looseObject({ [formKeyHeader]: z.string().max(200).describe('The public form key, cfk_…') }),
        body: submissionSchema,
        response: { 202: receiptSchema },
      },
    },
    async (request, reply) => {
      const presented = request.headers[formKeyHeader];
      const key = typeof presented === 'string' ? await verifyFormKey(deps.database.db, presented) : null;
      if (!key) throw badKey();
      const origin = originOf(request);
      // A browser always names the page's origin; a server-side sender names none.
      if (origin !== null && !key.allowedOrigins.includes(origin)) throw badOrigin();
      if (origin !== null) allowOrigin(reply, origin);
      await limit(key, request.ip);
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

  async function limit(key: FormKey, ip: string): Promise<void> {
    const { perKey, perClient, windowMs } = collectLimits;
    const client = await hit(deps.database.db, rateLimitKey('collect.client', key.id, ip), perClient, windowMs);
    if (!client.allowed) throw rateLimited(client, 'Too many submissions from this address; retry later.');
    const all = await hit(deps.database.db, rateLimitKey('collect.key', key.id), perKey, windowMs);
    if (!all.allowed) throw rateLimited(all, 'Too many submissions under this form key; retry later.');
  }
});
