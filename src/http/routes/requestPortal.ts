import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { accountAttempt, clientAttempt, consumeAttempts, forgiveAttempts, throttleRules, type Attempt } from '../../accounts/throttles.ts';
import {
  portalWorkspace,
  resendPortalVerification,
  submitPortalRequest,
  verificationAnswer,
  verifyPortalCode,
  verifyPortalLink,
} from '../../privacy/requests/requestPortal.ts';
import type { VerificationResult } from '../../privacy/requests/requestVerification.ts';
import { refuseWithPage, sendLinkPage, wantsPage } from '../emailLinkPages.ts';
import { acceptFormBodies } from '../formBodies.ts';
import { apiPrefix } from '../knownQueryParameters.ts';
import { uuid } from '../openapi/components.ts';
import { rateLimitKey } from '../../platform/rateLimit.ts';
import { sendQuietly, verificationMailOf } from './requests.ts';
import { correctionsBody, regimeSchema, requestKindSchema } from './requestSchemas.ts';
import { routePlugin } from './routePlugin.ts';

/*
 * The privacy portal's requests, public and per workspace: a person asks for one of their
 * rights with their e-mail address and proves they hold it with the mailed code, or with the
 * mailed link (GET shows a page with a button, because mail scanners open links; the POST
 * verifies). A request for an address nobody in the workspace holds is received, mailed and
 * answered exactly like one for a known address. Requests are limited per address and per
 * client; wrong codes and links per client, and five lock the request's verification.
 */

const workspaceParams = z.object({ workspace: z.string().min(1).max(100).describe("The workspace's slug") });
export const portalSubmission = z.strictObject({
  kind: requestKindSchema,
  regime: regimeSchema.default('gdpr'),
  email: z.string().trim().min(3).max(320).describe('Where the code and link are sent'),
  name: z.string().trim().max(200).optional(),
  details: z.string().trim().max(5000).optional().describe('What you ask, in your words'),
  purposeKey: z.string().min(1).max(100).optional().describe('An objection to one purpose; omitted, to all direct marketing'),
  corrections: correctionsBody,
});
const receiptSchema = z.object({
  data: z.object({
    requestId: uuid,
    state: z.literal('awaiting_verification'),
    expiresAt: z.string().describe('When the code and link stop working (15 minutes)'),
  }),
});
const verifiedSchema = z.object({ data: z.object({ requestId: uuid, state: z.literal('verified') }) });
const tokenField = z.object({ token: z.string().min(1).max(200).describe('The token of the mailed link') });
const formBodies = ['application/x-www-form-urlencoded', 'multipart/form-data', 'application/json'];
const tooMany = 'Too many wrong codes or links from this address; wait before trying again.';

export const requestPortalRoutes = routePlugin(async (app, deps) => {
  const { database } = deps;
  acceptFormBodies(app);
  const failures = (request: FastifyRequest): Attempt[] => [clientAttempt(throttleRules.rightsRequestVerificationPerClient, request.ip)];

  /** Counts the try against the client; forgives it when it verified. */
  async function checked(request: FastifyRequest, run: () => Promise<VerificationResult>): Promise<VerificationResult> {
    const attempts = failures(request);
    await consumeAttempts(database.db, attempts, tooMany);
    const result = await run();
    if (result.outcome === 'verified') await forgiveAttempts(database.db, attempts);
    return result;
  }

  app.post(
    '/portal/:workspace/requests',
    {
      config: { public: true, problems: ['rate_limited', 'not_found'] },
      schema: {
        operationId: 'submitPortalRequest',
        tags: ['portal'],
        summary: 'Ask for one of your rights; a 6-digit code and a link are mailed to the address (the answer is the same whoever holds it)',
        description:
          'Sec-GPC: 1 on the request opts the address holder out of sale and sharing, as at collection, once the request is verified. At most 3 requests per address an hour.',
        security: [],
        params: workspaceParams,
        body: portalSubmission,
        response: { 202: receiptSchema },
      },
    },
    async (request, reply) => {
      const workspace = await portalWorkspace(database, request.params.workspace);
      const attempts = [
        accountAttempt(throttleRules.rightsRequestPerIdentity, workspace.slug, request.body.email),
        clientAttempt(throttleRules.rightsRequestPerClient, request.ip),
      ];
      await consumeAttempts(database.db, attempts, 'Too many requests; wait before asking again.');
      const receipt = await submitPortalRequest(database, workspace, { ...request.body, gpc: request.headers['sec-gpc'] });
      await sendQuietly(deps, verificationMailOf(deps, receipt.mail), request.log);
      return reply
        .code(202)
        .send({ data: { requestId: receipt.requestId, state: 'awaiting_verification' as const, expiresAt: receipt.expiresAt.toISOString() } });
    },
  );

  app.post(
    '/portal/:workspace/requests/:id/verify',
    {
      config: { public: true, problems: ['rate_limited', 'not_found'] },
      schema: {
        operationId: 'verifyPortalRequest',
        tags: ['portal'],
        summary: 'Verify a request with the mailed code: 15 minutes, 5 tries, once; 422 naming code says why not',
        security: [],
        params: workspaceParams.extend({ id: uuid }),
        body: z.strictObject({ code: z.string().min(1).max(20).describe('The 6-digit code') }),
        response: { 200: verifiedSchema },
      },
    },
    async (request) => {
      const workspace = await portalWorkspace(database, request.params.workspace);
      const result = await checked(request, () => verifyPortalCode(database, workspace, request.params.id, request.body.code));
      return { data: verificationAnswer(result, 'code') };
    },
  );

  app.post(
    '/portal/:workspace/requests/:id/resend',
    {
      config: { public: true, problems: ['rate_limited', 'not_found', 'conflict'] },
      schema: {
        operationId: 'resendPortalVerification',
        tags: ['portal'],
        summary: 'Mail a new code and link for a request awaiting verification (after an expired or locked code); the old ones stop working',
        description: 'At most 3 a request an hour. 409 once the request is verified or closed.',
        security: [],
        params: workspaceParams.extend({ id: uuid }),
        response: { 202: receiptSchema },
      },
    },
    async (request, reply) => {
      const workspace = await portalWorkspace(database, request.params.workspace);
      const perRequest = throttleRules.rightsRequestResendPerRequest;
      const attempts = [
        { rule: perRequest, key: rateLimitKey(perRequest.scope, workspace.id, request.params.id.toLowerCase()) },
        clientAttempt(throttleRules.rightsRequestPerClient, request.ip),
      ];
      await consumeAttempts(database.db, attempts, 'Too many new codes asked for; wait before asking again.');
      const receipt = await resendPortalVerification(database, workspace, request.params.id);
      await sendQuietly(deps, verificationMailOf(deps, receipt.mail), request.log);
      return reply
        .code(202)
        .send({ data: { requestId: receipt.requestId, state: 'awaiting_verification' as const, expiresAt: receipt.expiresAt.toISOString() } });
    },
  );

  app.get(
    '/portal/verify',
    {
      config: { public: true },
      schema: {
        operationId: 'showPortalVerification',
        tags: ['portal'],
        summary: 'The page a verification link opens, with a button that verifies (opening the link alone verifies nothing)',
        produces: ['text/html'],
        security: [],
        querystring: tokenField,
      },
    },
    async (request, reply) =>
      sendLinkPage(reply, 200, {
        title: 'Confirm your privacy request',
        message: 'Press the button to confirm that you made this request with this e-mail address. Nothing happens until you do.',
        form: { action: `${apiPrefix}/portal/verify`, fields: { token: request.query.token }, button: 'Yes, I made this request' },
      }),
  );

  app.post(
    '/portal/verify',
    {
      config: { public: true, problems: ['rate_limited'] },
      schema: {
        operationId: 'verifyPortalLink',
        tags: ['portal'],
        summary: "Verify a request with the link's token (the page's button); 422 naming token says why not",
        consumes: formBodies,
        security: [],
        body: tokenField,
        response: { 200: verifiedSchema },
      },
    },
    async (request, reply) => {
      try {
        const result = await checked(request, () => verifyPortalLink(database, request.body.token));
        const answer = verificationAnswer(result, 'token');
        if (wantsPage(request)) {
          return sendLinkPage(reply, 200, { title: 'Thank you', message: 'Your request is confirmed. We will answer it within the time the law gives us.' });
        }
        return { data: answer };
      } catch (error) {
        return refuseWithPage(request, reply, error, 'This link cannot be used');
      }
    },
  );
});
