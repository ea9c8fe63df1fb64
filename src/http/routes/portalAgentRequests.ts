import { z } from 'zod';
import { readPortalAgentRequest, verifyPortalAgentRequest } from '../../privacy/portal/portalAgentRequests.ts';
import { uuid } from '../openapi/components.ts';
import { portalSignedIn } from '../portalSessionAccess.ts';
import { requestKindSchema } from './requestSchemas.ts';
import { portalParams } from './portalSessions.ts';
import { routePlugin } from './routePlugin.ts';

/*
 * The page an authorised agent sends its person to when their request needs them (the Data
 * Rights Protocol's user_verification_url, src/privacy/drp/drpVerification.ts): signed in to
 * the privacy portal, the person sees the agent's request — only when the signed-in address is
 * the one it names; 404 otherwise, as for an unknown id — and verifies it (CSRF as every change).
 */

const agentRequestSchema = z.object({
  data: z.object({
    requestId: uuid.describe('The Data Rights Protocol request id (the one in the agent’s URL)'),
    agentName: z.string().describe('The authorised agent that filed it for you'),
    kind: requestKindSchema,
    state: z.string().describe('received, awaiting_verification, verified, in_progress, extended, completed, denied or withdrawn'),
    receivedAt: z.string(),
    dueAt: z.string().describe('YYYY-MM-DD'),
    needsVerification: z.boolean().describe('Whether it still waits for you to verify it'),
    returnUrl: z.string().nullable().describe("The agent's redirect_to, when it is on the agent's registered callback origin; else null"),
  }),
});
const params = portalParams.extend({ requestId: z.string().min(1).max(100).describe('The Data Rights Protocol request id') });
const redirectTo = z.string().max(2000).optional().describe("The agent's redirect_to, given back as returnUrl when it is on the agent's own origin");

export const portalAgentRequestRoutes = routePlugin(async (app, deps) => {
  const { database } = deps;

  app.get(
    '/portal/:workspace/me/agent-requests/:requestId',
    {
      config: { public: true, portalSession: true, problems: ['not_found'] },
      schema: {
        operationId: 'readPortalAgentRequest',
        tags: ['portal'],
        summary: "An authorised agent's request for the signed-in person, when it names their address (404 otherwise)",
        params,
        querystring: z.object({ redirectTo }),
        response: { 200: agentRequestSchema },
      },
    },
    async (request) => {
      const { workspace, person } = await portalSignedIn(database, request);
      const ask = { tenantId: workspace.id, person, drpRequestId: request.params.requestId, redirectTo: request.query.redirectTo };
      return { data: await readPortalAgentRequest(database, ask) };
    },
  );

  app.post(
    '/portal/:workspace/me/agent-requests/:requestId/verify',
    {
      config: { public: true, portalSession: true, problems: ['not_found', 'conflict'] },
      schema: {
        operationId: 'verifyPortalAgentRequest',
        tags: ['portal'],
        summary: "Verify an authorised agent's request that names the signed-in address: it moves to verified and the agent is told",
        description: '404 when it does not name the signed-in address (or does not exist); 409 when it no longer waits for verification. Send X-CSRF-Token.',
        params,
        body: z.strictObject({ redirectTo }),
        response: { 200: agentRequestSchema },
      },
    },
    async (request) => {
      const { workspace, person } = await portalSignedIn(database, request);
      const ask = { tenantId: workspace.id, person, drpRequestId: request.params.requestId, redirectTo: request.body.redirectTo };
      return { data: await verifyPortalAgentRequest(database, ask) };
    },
  );
});
