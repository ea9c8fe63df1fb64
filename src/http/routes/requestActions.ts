import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { requestReceiptMail, restrictionLiftedMail } from '../../mail/requestTemplates.ts';
import { confirmRequestReceipt } from '../../privacy/requests/requestConfirmation.ts';
import { completeRightsRequest, liftRequestRestriction, sendRequestVerification } from '../../privacy/requests/requestService.ts';
import type { DenialCode, RequestAction } from '../../privacy/requests/requestStates.ts';
import { moveRightsRequest } from '../../privacy/requests/requestWorkflow.ts';
import { purposeContext } from '../principal.ts';
import { idParams } from './recordRouteSupport.ts';
import { sendQuietly, verificationMailOf } from './requests.ts';
import { denialBody, optionalReasonBody, reasonBody, requestEnvelope, requestView } from './requestSchemas.ts';
import { routePlugin } from './routePlugin.ts';

/*
 * The actions on a rights request, one POST each (requestStates.ts says which state each
 * needs: 409 otherwise). Every one is a request event and an audit entry. Extending and
 * denying need a reason, sent to the person; GDPR allows one extension within the first
 * month, CCPA one of 45 days within the first 45.
 */

type Move = { path: string; action: RequestAction; summary: string; body?: z.ZodType };

const moves: Move[] = [
  { path: 'verify', action: 'verify', summary: "Mark the requester's identity as verified by staff" },
  { path: 'start', action: 'start', summary: 'Start working on a verified request' },
  {
    path: 'extend',
    action: 'extend',
    summary: 'Extend the deadline once, with the reason sent to the person (GDPR: two more months, within the first; CCPA: 45 more days, within the first 45)',
    body: reasonBody,
  },
  { path: 'deny', action: 'deny', summary: 'Deny the request, with the reason sent to the person and a code for why', body: denialBody },
  { path: 'withdraw', action: 'withdraw', summary: 'Record that the person withdrew the request (closes it)', body: optionalReasonBody },
];

const bodyOf = (request: FastifyRequest) => (request.body as { reason?: string; code?: DenialCode } | undefined) ?? {};

export const requestActionRoutes = routePlugin(async (app, deps) => {
  const { database } = deps;

  for (const move of moves) {
    app.post(
      `/requests/:id/${move.path}`,
      {
        config: { problems: ['conflict'] },
        schema: {
          operationId: `${move.path}RightsRequest`,
          tags: ['requests'],
          summary: move.summary,
          params: idParams,
          ...(move.body ? { body: move.body } : {}),
          response: { 200: requestEnvelope },
        },
      },
      async (request) => {
        const ctx = purposeContext(request, 'request:write');
        const { id } = request.params as { id: string };
        const { reason, code } = bodyOf(request);
        const moved = await database.db.transaction((tx) => moveRightsRequest(tx, ctx, id, move.action, { reason, denialCode: code }));
        return { data: requestView(moved) };
      },
    );
  }

  app.post(
    '/requests/:id/complete',
    {
      config: { problems: ['conflict'] },
      schema: {
        operationId: 'completeRightsRequest',
        tags: ['requests'],
        summary: 'Complete the request by doing what it asks (restriction, objection, opt-outs); 409 naming kind when Candor cannot fulfil that kind yet',
        params: idParams,
        response: { 200: requestEnvelope },
      },
    },
    async (request) => {
      const ctx = purposeContext(request, 'request:write');
      const completed = await database.db.transaction((tx) => completeRightsRequest(tx, ctx, request.params.id));
      return { data: requestView(completed) };
    },
  );

  app.post(
    '/requests/:id/send-verification',
    {
      config: { problems: ['conflict'] },
      schema: {
        operationId: 'sendRightsRequestVerification',
        tags: ['requests'],
        summary: 'Mail the requester a fresh 6-digit code and link (15 minutes, 5 tries); earlier ones stop working',
        params: idParams,
        response: { 200: requestEnvelope },
      },
    },
    async (request) => {
      const ctx = purposeContext(request, 'request:write');
      const sent = await database.db.transaction((tx) => sendRequestVerification(tx, ctx, request.params.id));
      if (sent.mail) await sendQuietly(deps, verificationMailOf(deps, sent.mail), request.log);
      return { data: requestView(sent.request) };
    },
  );

  app.post(
    '/requests/:id/confirm-receipt',
    {
      config: { problems: ['conflict'] },
      schema: {
        operationId: 'confirmRightsRequestReceipt',
        tags: ['requests'],
        summary:
          'Confirm receipt to the requester by e-mail (CCPA: within 10 business days, by acknowledgeBy): when it was received, how it is handled, when the answer is due; once (409 after, or once closed)',
        params: idParams,
        response: { 200: requestEnvelope },
      },
    },
    async (request) => {
      const ctx = purposeContext(request, 'request:write');
      const confirmed = await database.db.transaction((tx) => confirmRequestReceipt(tx, ctx, request.params.id));
      if (confirmed.mail) await sendQuietly(deps, requestReceiptMail(confirmed.mail), request.log);
      return { data: requestView(confirmed.request) };
    },
  );

  app.post(
    '/requests/:id/lift-restriction',
    {
      config: { problems: ['conflict'] },
      schema: {
        operationId: 'liftRightsRequestRestriction',
        tags: ['requests'],
        summary: 'Lift the restriction a completed restriction request put in place (audited); the person is told by e-mail',
        params: idParams,
        body: optionalReasonBody,
        response: { 200: requestEnvelope },
      },
    },
    async (request) => {
      const ctx = purposeContext(request, 'request:write');
      const result = await database.db.transaction((tx) => liftRequestRestriction(tx, ctx, request.params.id, request.body.reason ?? null));
      if (result.notify) await sendQuietly(deps, restrictionLiftedMail(result.notify), request.log);
      return { data: requestView(result.request) };
    },
  );
});
