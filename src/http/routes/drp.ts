import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { clientAttempt, consumeAttempts, forgiveAttempts, throttleRules } from '../../accounts/throttles.ts';
import { appendAudit } from '../../kernel/index.ts';
import { agentContext, agentOfBearer, openAgentSetup, openRevokeCall, openSignedCall, rememberSignedMessage } from '../../privacy/drp/drpAuthentication.ts';
import { issueAgentToken } from '../../privacy/drp/drpAgents.ts';
import { DrpRefusal, drpErrorBody } from '../../privacy/drp/drpRefusal.ts';
import { dataRightsStatus, exerciseDataRights, revokeDataRights, withRefusalsAudited } from '../../privacy/drp/drpRequests.ts';
import { requireProtocolVersion } from '../../privacy/drp/drpSignatures.ts';
import { drpRefusalOf, exerciseStatusSchema, signedBody } from './drpSchemas.ts';
import { routePlugin } from './routePlugin.ts';

/*
 * The Data Rights Protocol 1.0 routes (spec in data/drp/), at the root as the protocol names
 * them, for authorised agents registered by an admin (routes/drpAgents.ts): the pair-wise key
 * setup and check (§2.05, §2.06), the exercise of a right (§2.01), its status (§2.02) and its
 * revocation (§2.04). Signed bodies are text/plain base64 (drpSignatures.ts); every refusal is
 * the protocol's JSON error with the Candor-Refusal header, except the key setup's, which is a
 * bare 403 as §2.05 asks. Public to Candor's authentication: the agent's signature and bearer
 * token are checked here (drpAuthentication.ts). Requests act for legal_compliance.
 */

const tags = ['data-rights-protocol'];
const clientAttempts = (request: FastifyRequest) => [clientAttempt(throttleRules.drpCallPerClient, request.ip)];
const agentParams = z.object({ id: z.string().min(1).max(100).describe("The agent's DRP agent id") });
const requestParams = z.object({ id: z.string().min(1).max(100).describe('The DRP request id') });

export const drpRoutes = routePlugin(async (app, deps) => {
  const { database, config } = deps;
  const settings = () => ({ maxWindowMinutes: config.drpMaxWindowMinutes, now: deps.clock?.() ?? new Date() });
  const bearer = (request: FastifyRequest) => agentOfBearer(database.db, request.headers.authorization);

  // A signed body sent with no content type (the reference agent's DELETE) is read as the text/plain it is.
  app.addHook('onRequest', async (request) => {
    if (request.headers['content-type'] === undefined && request.method !== 'GET') request.headers['content-type'] = 'text/plain';
  });

  // Every call counts against its client until it succeeds: only refused calls add up.
  app.addHook('preHandler', async (request) => {
    await consumeAttempts(database.db, clientAttempts(request), 'Too many refused Data Rights Protocol calls from this address; wait before trying again.');
  });
  app.addHook('onSend', async (request, reply) => {
    if (reply.statusCode < 400) await forgiveAttempts(database.db, clientAttempts(request));
  });

  app.setErrorHandler((error, request, reply) => {
    const refusal = drpRefusalOf(error);
    // A server error goes to the app's own handler (problem+json, logged without the message).
    if (refusal === null) throw error;
    reply.header('candor-refusal', refusal.refusal);
    if (refusal.retryAfterSeconds !== undefined) reply.header('retry-after', String(refusal.retryAfterSeconds));
    // §2.05: a key setup that fails validation is a bare 403, whatever failed.
    if (request.routeOptions.config?.drp === 'setup' && refusal.status !== 429) return reply.code(403).send();
    return reply.code(refusal.status).type('application/json').send(drpErrorBody(refusal));
  });

  app.post(
    '/v1/agent/:id',
    {
      config: { public: true, drp: 'setup' },
      schema: {
        operationId: 'setUpDrpAgent',
        tags,
        summary:
          "Pair-wise key setup: a message signed with the agent's registered key ({agent-id, business-id, issued-at, expires-at, drp.version}) gets a bearer token",
        description: 'A new token replaces the previous one. Refused with 403 and no body (§2.05); the Candor-Refusal header says why.',
        consumes: ['text/plain'],
        params: agentParams,
        body: signedBody,
        response: { 200: z.object({ 'agent-id': z.string(), token: z.string().describe('Send as Authorization: Bearer <token>') }) },
      },
    },
    async (request) => {
      const call = await openAgentSetup(database.db, request.params.id, request.body, settings());
      requireProtocolVersion(call.claims);
      const token = await database.db.transaction(async (tx) => {
        await rememberSignedMessage(tx, call);
        return issueAgentToken(tx, agentContext(call.agent), call.agent);
      });
      return { 'agent-id': call.agent.agentId, token };
    },
  );

  app.get(
    '/v1/agent/:id',
    {
      config: { public: true, drp: 'token' },
      schema: {
        operationId: 'getDrpAgent',
        tags,
        summary: "Check that the bearer token is still valid for this agent: {} (403 when the token is not this agent's)",
        params: agentParams,
        response: { 200: z.object({}) },
      },
    },
    async (request) => {
      const agent = await bearer(request);
      if (agent.agentId !== request.params.id) throw new DrpRefusal(403, 'wrong_agent', "The bearer token is not this agent's.");
      await database.db.transaction((tx) =>
        appendAudit(tx, agentContext(agent), { action: 'drp_agent.token_checked', object: 'drp_agent', recordIds: [agent.id] }),
      );
      return {};
    },
  );

  app.post(
    '/v1/data-rights-request',
    {
      config: { public: true, drp: 'token' },
      schema: {
        operationId: 'exerciseDataRights',
        tags,
        summary: 'Exercise a right for a person the agent represents (access, deletion, sale:opt-out): received like a portal request, with the same deadlines',
        description:
          'The signed message carries agent-id, business-id, issued-at, expires-at, drp.version, exercise, regime (ccpa or none), optional agent-request-id, relationships and status_callback (on the origin of the registered callback URL), and the person: email (required), name, email_verified (true: the request starts verified), phone_number, address… (sealed at rest).',
        consumes: ['text/plain'],
        body: signedBody,
        response: { 200: exerciseStatusSchema },
      },
    },
    async (request) => {
      const agent = await bearer(request);
      return withRefusalsAudited(database, agent, 'exercise', async () => {
        const call = openSignedCall(agent, request.body, settings());
        return database.db.transaction((tx) => exerciseDataRights(tx, call));
      });
    },
  );

  app.get(
    '/v1/data-rights-request/:id',
    {
      config: { public: true, drp: 'token' },
      schema: {
        operationId: 'getDataRightsStatus',
        tags,
        summary: "A request's Exercise Status, for the agent that filed it (403 for another agent's)",
        params: requestParams,
        response: { 200: exerciseStatusSchema },
      },
    },
    async (request) => {
      const agent = await bearer(request);
      return withRefusalsAudited(database, agent, 'status', () =>
        database.db.transaction((tx) => dataRightsStatus(tx, agent, request.params.id, config.publicUrl)),
      );
    },
  );

  app.delete(
    '/v1/data-rights-request/:id',
    {
      config: { public: true, drp: 'token' },
      schema: {
        operationId: 'revokeDataRights',
        tags,
        summary: 'Revoke an open request (signed {reason}, as §2.04 shows): it is withdrawn and answers revoked',
        description:
          "The signature must hold under the bearer's agent key. A message that also carries agent-id, business-id, issued-at or expires-at must carry all four and is checked like an exercise (and remembered against replay).",
        consumes: ['text/plain'],
        params: requestParams,
        body: signedBody,
        response: { 200: exerciseStatusSchema },
      },
    },
    async (request) => {
      const agent = await bearer(request);
      return withRefusalsAudited(database, agent, 'revoke', async () => {
        const call = openRevokeCall(agent, request.body, settings());
        return database.db.transaction((tx) => revokeDataRights(tx, call, request.params.id));
      });
    },
  );
}, '');
