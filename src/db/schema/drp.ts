import { sql } from 'drizzle-orm';
import { foreignKey, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, timestampColumn, updatedAt, version } from './columns.ts';
import { workspaces } from './tenancy.ts';
import { rightsRequests } from './rightsRequests.ts';

/*
 * The Data Rights Protocol (issue 14, migrations 0034 and 0038): the workspace's business id,
 * the authorised agents a workspace accepts requests from, the global lookup from an agent id and business id (or a bearer
 * token's hash) to the workspace, the link of each DRP request to its rights request with what
 * the agent was last told, and the signed messages remembered until they expire (replays).
 */

export const drpAgents = pgTable(
  'drp_agents',
  {
    tenantId: tenantId(),
    id: id(),
    agentId: text('agent_id').notNull(),
    name: text('name').notNull(),
    verifyKey: text('verify_key').notNull(),
    callbackUrl: text('callback_url'),
    businessId: text('business_id').notNull(),
    status: text('status').notNull().default('active'),
    tokenIssuedAt: timestampColumn('token_issued_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex('drp_agents_agent_idx').on(t.tenantId, t.agentId)],
);

export const drpAgentLookup = pgTable(
  'drp_agent_lookup',
  {
    agentId: text('agent_id').notNull(),
    businessId: text('business_id').notNull(),
    tenantId: uuid('tenant_id').notNull(),
    agent: uuid('agent').notNull(),
    tokenHash: text('token_hash'),
  },
  (t) => [primaryKey({ name: 'drp_agent_lookup_pk', columns: [t.agentId, t.businessId] }), uniqueIndex('drp_agent_lookup_token_idx').on(t.tokenHash)],
);

/** The workspace's DRP business id (migration 0038): generated once by Candor, never typed by an admin; global and unique. */
export const drpBusinessLookup = pgTable(
  'drp_business_lookup',
  {
    businessId: text('business_id').primaryKey(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
  },
  (t) => [uniqueIndex('drp_business_lookup_tenant_idx').on(t.tenantId)],
);

export const drpRequests = pgTable(
  'drp_requests',
  {
    tenantId: tenantId(),
    id: id(),
    requestId: uuid('request_id').notNull(),
    agent: uuid('agent').notNull(),
    agentRequestId: text('agent_request_id'),
    exercise: text('exercise').notNull(),
    regime: text('regime'),
    relationships: text('relationships').array().notNull().default(sql`'{}'`),
    statusCallback: text('status_callback'),
    callbackVersion: integer('callback_version').notNull().default(0),
    callbackDigest: text('callback_digest'),
    callbackStatus: integer('callback_status'),
    callbackAt: timestampColumn('callback_at'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('drp_requests_request_idx').on(t.tenantId, t.requestId),
    index('drp_requests_agent_idx').on(t.tenantId, t.agent),
    foreignKey({ name: 'drp_requests_request_fk', columns: [t.tenantId, t.requestId], foreignColumns: [rightsRequests.tenantId, rightsRequests.id] }).onDelete(
      'cascade',
    ),
    foreignKey({ name: 'drp_requests_agent_fk', columns: [t.tenantId, t.agent], foreignColumns: [drpAgents.tenantId, drpAgents.id] }),
  ],
);

export const drpSignedMessages = pgTable(
  'drp_signed_messages',
  {
    tenantId: tenantId(),
    signatureHash: text('signature_hash').notNull(),
    expiresAt: timestampColumn('expires_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'drp_signed_messages_pk', columns: [t.tenantId, t.signatureHash] }),
    index('drp_signed_messages_expiry_idx').on(t.tenantId, t.expiresAt),
  ],
);
