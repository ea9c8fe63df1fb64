import { z } from 'zod';
import { agentStatuses, listAgents, readAgent, registerAgent, updateAgent, type DrpAgent } from '../../privacy/drp/drpAgents.ts';
import { nameComponent, uuid } from '../openapi/components.ts';
import { accessContext } from '../principal.ts';
import { idParams, isoOrNull } from './recordRouteSupport.ts';
import { routePlugin } from './routePlugin.ts';

/*
 * The authorised agents the workspace accepts Data Rights Protocol requests from (admin:
 * workspace configuration): each with its DRP agent id, name, Ed25519 verify key, callback URL,
 * the business id its requests must name, and whether it is active. Changing the key or the
 * business id revokes the agent's bearer token. Every change is audited.
 */

const tags = ['data-rights-protocol'];

const agentSchema = z.object({
  id: uuid,
  agentId: z.string().describe("The agent's id in the DRP service directory"),
  name: z.string(),
  verifyKey: z.string().describe('Base64 Ed25519 public key (libsodium verify key)'),
  callbackUrl: z.string().nullable().describe("Where status callbacks are POSTed; a request's status_callback must be on its origin"),
  businessId: z.string().describe("The business id the agent's requests must name"),
  status: z.enum(agentStatuses),
  tokenIssuedAt: z.string().nullable().describe('When the agent last set up its bearer token (POST /v1/agent/{id})'),
  createdAt: z.string(),
  version: z.number().int(),
});
nameComponent(agentSchema, 'DrpAgent', 'An authorised agent registered for the Data Rights Protocol');

const identifier = z.string().trim().min(1).max(100);
const createBody = z.strictObject({
  agentId: identifier,
  name: z.string().trim().min(1).max(200),
  verifyKey: z.string().trim().min(1).max(200),
  callbackUrl: z.string().trim().max(2048).nullable().optional(),
  businessId: identifier,
  status: z.enum(agentStatuses).optional(),
});
const updateBody = createBody.omit({ agentId: true }).partial();

const view = (agent: DrpAgent): z.infer<typeof agentSchema> => ({
  id: agent.id,
  agentId: agent.agentId,
  name: agent.name,
  verifyKey: agent.verifyKey,
  callbackUrl: agent.callbackUrl,
  businessId: agent.businessId,
  status: agent.status,
  tokenIssuedAt: isoOrNull(agent.tokenIssuedAt),
  createdAt: agent.createdAt.toISOString(),
  version: agent.version,
});

export const drpAgentRoutes = routePlugin(async (app, deps) => {
  const { database } = deps;

  app.get(
    '/drp-agents',
    {
      schema: {
        operationId: 'listDrpAgents',
        tags,
        summary: 'The authorised agents registered for the Data Rights Protocol (admin)',
        response: { 200: z.object({ data: z.array(agentSchema) }) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'workspace:read');
      return { data: (await listAgents(database.db, ctx.tenantId)).map(view) };
    },
  );

  app.post(
    '/drp-agents',
    {
      config: { problems: ['duplicate'] },
      schema: {
        operationId: 'registerDrpAgent',
        tags,
        summary: 'Register an authorised agent: its DRP id, key, callback URL and the business id its requests name (admin)',
        body: createBody,
        response: { 201: z.object({ data: agentSchema }) },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'workspace:write');
      const agent = await database.db.transaction((tx) => registerAgent(tx, ctx, request.body));
      return reply.code(201).send({ data: view(agent) });
    },
  );

  app.get(
    '/drp-agents/:id',
    {
      schema: {
        operationId: 'getRegisteredDrpAgent',
        tags,
        summary: 'One registered agent (admin)',
        params: idParams,
        response: { 200: z.object({ data: agentSchema }) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'workspace:read');
      return { data: view(await readAgent(database.db, ctx.tenantId, request.params.id)) };
    },
  );

  app.patch(
    '/drp-agents/:id',
    {
      config: { problems: ['duplicate'] },
      schema: {
        operationId: 'updateDrpAgent',
        tags,
        summary: "Change an agent's name, key, callback URL, business id or status; a new key or business id revokes its token (admin)",
        params: idParams,
        body: updateBody,
        response: { 200: z.object({ data: agentSchema }) },
      },
    },
    async (request) => {
      const ctx = accessContext(request, 'workspace:write');
      const agent = await database.db.transaction((tx) => updateAgent(tx, ctx, request.params.id, request.body));
      return { data: view(agent) };
    },
  );
});
