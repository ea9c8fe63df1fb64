import { z } from 'zod';
import { accountAttempt, consumeAttempts, throttleRules } from '../../accounts/throttles.ts';
import { setPortalConsent } from '../../privacy/portal/portalConsents.ts';
import { readPortalData } from '../../privacy/portal/portalData.ts';
import { listSessionRequests, portalRequestView, submitSessionRequest } from '../../privacy/portal/portalRequests.ts';
import { uuid } from '../openapi/components.ts';
import { portalSignedIn } from '../portalSessionAccess.ts';
import { portalDataSchema } from './portalSchemas.ts';
import { portalParams } from './portalSessions.ts';
import { portalSubmission } from './requestPortal.ts';
import { requestKindSchema, regimeSchema } from './requestSchemas.ts';
import { routePlugin } from './routePlugin.ts';

/*
 * What a person signed in to the privacy portal sees and does: everything held on them
 * (read by the kernel's subject access, audited), their consent choices, and their rights
 * requests. Every route needs the workspace's portal session (401 otherwise); changes echo
 * its CSRF token (403 csrf_failed). Copies of their data: portalExports.ts.
 */

const portalRequestSchema = z.object({
  id: uuid,
  kind: requestKindSchema,
  state: z.string().describe('received, awaiting_verification, verified, in_progress, extended, completed or denied'),
  regime: regimeSchema,
  receivedAt: z.string(),
  dueAt: z.string().describe('The date (YYYY-MM-DD) the answer is due now: the extended date once extended'),
  closedAt: z.string().nullable(),
  reason: z.string().nullable().describe('Why it was denied or extended, as sent to you'),
});

export const portalSelfServiceRoutes = routePlugin(async (app, deps) => {
  const { database } = deps;
  const controllerUrl = deps.config.publicUrl;

  app.get(
    '/portal/:workspace/me/data',
    {
      config: { public: true, portalSession: true, problems: ['not_found'] },
      schema: {
        operationId: 'readPortalData',
        tags: ['portal'],
        summary: 'Everything held on the signed-in person: values, records, consents with receipts, who accessed them, and the purposes',
        params: portalParams,
        response: { 200: portalDataSchema },
      },
    },
    async (request) => {
      const { workspace, person } = await portalSignedIn(database, request);
      return { data: await readPortalData(database, workspace.id, person, controllerUrl) };
    },
  );

  app.put(
    '/portal/:workspace/me/consents/:purposeKey',
    {
      config: { public: true, portalSession: true, problems: ['not_found', 'conflict'] },
      schema: {
        operationId: 'setPortalConsent',
        tags: ['portal'],
        summary: 'Give or withdraw consent to a purpose based on consent; it counts from the next decision, and the answer holds its signed receipt',
        description:
          '422 naming purposeKey for a purpose not based on consent (make an objection request instead); 409 when no record is held for the signed-in address.',
        params: portalParams.extend({ purposeKey: z.string().min(1).max(100) }),
        body: z.strictObject({ choice: z.enum(['given', 'withdrawn']) }),
        response: {
          200: z.object({
            data: z.object({
              purposeKey: z.string(),
              state: z.string().describe('The ledger event recorded: given, renewed (given again under a newer notice) or withdrawn'),
              receipt: z.string().describe('The signed consent receipt (JWS)'),
            }),
          }),
        },
      },
    },
    async (request) => {
      const { workspace, person } = await portalSignedIn(database, request);
      const userAgent = request.headers['user-agent'];
      const outcome = await setPortalConsent(database, workspace.id, person, {
        purposeKey: request.params.purposeKey,
        choice: request.body.choice,
        sender: { ip: request.ip, userAgent: typeof userAgent === 'string' ? userAgent : null },
        controllerUrl,
      });
      return { data: outcome };
    },
  );

  app.get(
    '/portal/:workspace/me/requests',
    {
      config: { public: true, portalSession: true, problems: ['not_found'] },
      schema: {
        operationId: 'listPortalRequests',
        tags: ['portal'],
        summary: "The signed-in person's rights requests, newest first, with their due dates and the reasons sent",
        params: portalParams,
        response: { 200: z.object({ data: z.array(portalRequestSchema) }) },
      },
    },
    async (request) => {
      const { workspace, person } = await portalSignedIn(database, request);
      return { data: await listSessionRequests(database, workspace.id, person) };
    },
  );

  app.post(
    '/portal/:workspace/me/requests',
    {
      config: { public: true, portalSession: true, problems: ['not_found', 'rate_limited'] },
      schema: {
        operationId: 'submitPortalSessionRequest',
        tags: ['portal'],
        summary: 'Ask for one of your rights as the signed-in person: verified at once (the session proved the address), with its due date',
        description: 'Sec-GPC: 1 opts the person out of sale and sharing at once. At most 3 requests per address an hour.',
        params: portalParams,
        body: portalSubmission.omit({ email: true }),
        response: {
          201: z.object({ data: z.object({ id: uuid, kind: requestKindSchema, state: z.literal('verified'), dueAt: z.string().describe('YYYY-MM-DD') }) }),
        },
      },
    },
    async (request, reply) => {
      const { workspace, person } = await portalSignedIn(database, request);
      const attempts = [accountAttempt(throttleRules.rightsRequestPerIdentity, workspace.slug, person.email)];
      await consumeAttempts(database.db, attempts, 'Too many requests; wait before asking again.');
      const received = await submitSessionRequest(database, workspace.id, person, { ...request.body, gpc: request.headers['sec-gpc'] });
      const view = portalRequestView(received);
      return reply.code(201).send({ data: { id: view.id, kind: view.kind, state: 'verified' as const, dueAt: view.dueAt } });
    },
  );
});
