import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import { requestIdentityOf } from '../../kernel/index.ts';
import type { OutgoingMail } from '../../mail/mailer.ts';
import { requestVerificationMail } from '../../mail/requestTemplates.ts';
import { listRightsRequests } from '../../privacy/requests/requestQueue.ts';
import { readRequestDetail, sendRequestVerification, type VerificationMailInput } from '../../privacy/requests/requestService.ts';
import { requestStates } from '../../privacy/requests/requestStates.ts';
import { moveRightsRequest, receiveRightsRequest, requireRightsPurpose } from '../../privacy/requests/requestWorkflow.ts';
import { defaultPageSize, maxPageSize } from '../../shared/cursor.ts';
import type { AppDependencies } from '../dependencies.ts';
import { uuid } from '../openapi/components.ts';
import { purposeContext, requirePrincipal } from '../principal.ts';
import { idParams } from './recordRouteSupport.ts';
import { correctionsBody, regimeSchema, requestEnvelope, requestKindSchema, requestView, rightsRequestSchema } from './requestSchemas.ts';
import { routePlugin } from './routePlugin.ts';

/*
 * The privacy desk's rights requests (/requests): entered on a person's behalf, listed with
 * their deadlines (due soon, overdue), read with the requester's identity and every
 * transition. Acts for legal_compliance (Candor-Purpose), the `request` resource of the role
 * matrix. The actions are in requestActions.ts, the holidays in requestHolidays.ts.
 */

/** Sends a mail after its transaction committed; a failure is logged by name only (the message could hold an address). */
export async function sendQuietly(deps: AppDependencies, mail: OutgoingMail, log: FastifyBaseLogger): Promise<void> {
  try {
    await deps.mailer.send(mail);
  } catch (error) {
    log.error({ errorName: error instanceof Error ? error.name : 'unknown' }, 'rights request mail could not be sent');
  }
}

export const verificationMailOf = (deps: AppDependencies, mail: VerificationMailInput) =>
  requestVerificationMail({ ...mail, publicUrl: deps.config.publicUrl });

const createBody = z.strictObject({
  kind: requestKindSchema,
  regime: regimeSchema,
  email: z.string().trim().min(3).max(320).describe("The requester's e-mail address (sealed at rest)"),
  name: z.string().trim().max(200).optional(),
  details: z.string().trim().max(5000).optional().describe('What the person asked, in their words (sealed at rest)'),
  contactId: uuid.optional().describe('The contact concerned, when known; otherwise matched by the e-mail address'),
  purposeKey: z.string().min(1).max(100).optional().describe('An objection to one purpose; omitted, to all direct marketing'),
  corrections: correctionsBody,
  jurisdiction: z.string().min(2).max(6).optional().describe('Whose working days count (DE, DE-BY, US-CA); by default from the regime and workspace'),
  verified: z.boolean().default(false).describe("Staff established the person's identity themselves: the request starts verified"),
  sendVerification: z.boolean().default(false).describe('Mail the person a code and link to verify their address'),
});

const listQuery = z.object({
  state: z.enum(requestStates).optional(),
  kind: requestKindSchema.optional(),
  due: z
    .enum(['soon', 'overdue', 'unconfirmed'])
    .optional()
    .describe('soon: open and due within 7 days; overdue: open and past its due date; unconfirmed: open with receipt still to confirm (CCPA)'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(maxPageSize).default(defaultPageSize),
});

export const requestRoutes = routePlugin(async (app, deps) => {
  const { database } = deps;

  app.post(
    '/requests',
    {
      schema: {
        operationId: 'createRightsRequest',
        tags: ['requests'],
        summary: "Enter a rights request on a person's behalf (Candor-Purpose: legal_compliance); deadlines are fixed from its receipt",
        body: createBody,
        response: { 201: requestEnvelope },
      },
    },
    async (request, reply) => {
      const ctx = purposeContext(request, 'request:write');
      const body = request.body;
      const identity = requestIdentityOf(body);
      const channel = requirePrincipal(request).via === 'session' ? 'staff' : 'api';
      const { created, mail } = await database.db.transaction(async (tx) => {
        let created = await receiveRightsRequest(tx, ctx, { ...body, channel, identity });
        if (body.verified) created = await moveRightsRequest(tx, ctx, created.id, 'verify');
        if (!body.sendVerification || body.verified) return { created, mail: null };
        const sent = await sendRequestVerification(tx, ctx, created.id);
        return { created: sent.request, mail: sent.mail };
      });
      if (mail) await sendQuietly(deps, verificationMailOf(deps, mail), request.log);
      return reply
        .code(201)
        .header('location', `/api/v1/requests/${created.id}`)
        .send({ data: requestView(created) });
    },
  );

  app.get(
    '/requests',
    {
      schema: {
        operationId: 'listRightsRequests',
        tags: ['requests'],
        summary: 'Rights requests, newest first, with their deadlines; due=soon, due=overdue or due=unconfirmed for the reminders',
        querystring: listQuery,
        response: { 200: z.object({ data: z.array(rightsRequestSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const ctx = purposeContext(request, 'request:read');
      requireRightsPurpose(ctx);
      const page = await listRightsRequests(database.db, ctx.tenantId, request.query);
      return { data: page.data.map((row) => requestView(row)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/requests/:id',
    {
      schema: {
        operationId: 'getRightsRequest',
        tags: ['requests'],
        summary: "A rights request with the requester's identity and every transition (opening the identity is audited)",
        params: idParams,
        response: { 200: requestEnvelope },
      },
    },
    async (request) => {
      const ctx = purposeContext(request, 'request:read');
      const detail = await database.db.transaction((tx) => readRequestDetail(tx, ctx, request.params.id));
      return { data: requestView(detail.request, { identity: detail.identity, events: detail.events, corrections: detail.corrections }) };
    },
  );
});
