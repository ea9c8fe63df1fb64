import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { rowsOf } from '../../src/db/rows.ts';
import { drpAgentClient, type DrpAgentClient } from './drpAgentClient.ts';
import { startTestJobRunner, type TestJobRunner } from './jobs.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './testApp.ts';

/*
 * A workspace that accepts Data Rights Protocol requests, for test/drp*.test.ts: one agent
 * registered by the admin API and set up with its bearer token, and — with `callbacks` — the
 * job runner and an HTTP server in this process that records every status callback it gets.
 */

export const businessId = 'CANDOR_TEST_BUSINESS';

export type DrpAgent = DrpAgentClient & { id: string };
export type AuditEntry = { action: string; actor: string; purpose: string | null; detail: unknown };

export type DrpTestbed = {
  t: TestApp;
  workspace: TestWorkspace;
  agent: DrpAgent;
  callbackUrl: string;
  /** The callbacks received, each with the path and content type it came with. */
  callbacks: Array<Record<string, unknown>>;
  admin(method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Record<string, unknown>, key?: string): ReturnType<TestApp['request']>;
  desk(method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>): ReturnType<TestApp['request']>;
  registeredAgent(agentId: string, extra?: Record<string, unknown>): Promise<DrpAgent>;
  createContact(email: string): Promise<string>;
  requestCount(): Promise<number>;
  rightsRequestOf(drpRequestId: string): Promise<string>;
  auditEntries(recordId: string): Promise<AuditEntry[]>;
  auditActions(recordId: string): Promise<string[]>;
  /** An exercise by the agent (access under the CCPA unless the claims say otherwise) that must succeed. */
  filed(claims: Record<string, unknown>, client?: DrpAgent): Promise<Record<string, string>>;
  callbacksFor(drpRequestId: string): Array<Record<string, unknown>>;
  close(): Promise<void>;
};

/** Status and Candor-Refusal of a refused call. */
export const refusalOf = (response: { statusCode: number; headers: Record<string, unknown> }) => ({
  status: response.statusCode,
  refusal: response.headers['candor-refusal'],
});

async function callbackReceiver(callbacks: Array<Record<string, unknown>>): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      callbacks.push({ path: request.url, contentType: request.headers['content-type'], ...JSON.parse(body) });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/drp/callback` };
}

export async function openDrpTestbed(options: { callbacks: boolean }): Promise<DrpTestbed> {
  const t = await createTestApp();
  const workspace = await t.createWorkspace();
  const callbacks: Array<Record<string, unknown>> = [];
  const runner: TestJobRunner | null = options.callbacks ? await startTestJobRunner(t.database) : null;
  const receiver = options.callbacks ? await callbackReceiver(callbacks) : null;
  const callbackUrl = receiver?.url ?? 'https://agent.example.org/drp/callback';

  const admin: DrpTestbed['admin'] = (method, url, payload, key = workspace.keys.admin) => t.request(key, { method, url, payload });
  const desk: DrpTestbed['desk'] = (method, url, payload) => t.request(workspace.keys.privacy_officer, { method, url, payload, purpose: 'legal_compliance' });
  async function registeredAgent(agentId: string, extra: Record<string, unknown> = {}): Promise<DrpAgent> {
    const client = drpAgentClient(t.app, agentId, businessId);
    const response = await admin('POST', '/api/v1/drp-agents', { agentId, name: `Agent ${agentId}`, verifyKey: client.verifyKey, businessId, ...extra });
    expect(response.statusCode, response.body).toBe(201);
    return Object.assign(client, { id: response.json().data.id as string });
  }
  const agent = await registeredAgent('CR_AA_DRP_ID_001', { callbackUrl });
  expect((await agent.setUp()).statusCode).toBe(200);

  async function auditEntries(recordId: string): Promise<AuditEntry[]> {
    return rowsOf<AuditEntry>(
      await t.database.db.execute(
        sql`select action, actor_type || ':' || actor_id as actor, purpose, detail from audit_entries
            where tenant_id = ${workspace.id} and ${recordId}::uuid = any(record_ids) order by sequence`,
      ),
    );
  }

  return {
    t,
    workspace,
    agent,
    callbackUrl,
    callbacks,
    admin,
    desk,
    registeredAgent,
    async createContact(email) {
      const response = await t.request(workspace.keys.admin, {
        method: 'POST',
        url: '/api/v1/contacts',
        payload: { firstName: 'Dora', email },
        purpose: 'sales',
      });
      expect(response.statusCode, response.body).toBe(201);
      return response.json().data.id;
    },
    async requestCount() {
      const [row] = rowsOf<{ n: number }>(await t.database.db.execute(sql`select count(*)::int as n from rights_requests where tenant_id = ${workspace.id}`));
      return Number(row.n);
    },
    async rightsRequestOf(drpRequestId) {
      const [row] = rowsOf<{ request_id: string }>(await t.database.db.execute(sql`select request_id from drp_requests where id = ${drpRequestId}`));
      return row.request_id;
    },
    auditEntries,
    async auditActions(recordId) {
      return (await auditEntries(recordId)).map((entry) => entry.action);
    },
    async filed(claims, client = agent) {
      const response = await client.exercise({ exercise: 'access', regime: 'ccpa', ...claims });
      expect(response.statusCode, response.body).toBe(200);
      return response.json();
    },
    callbacksFor: (drpRequestId) => callbacks.filter((callback) => callback.request_id === drpRequestId),
    async close() {
      await runner?.stop();
      if (receiver) await new Promise((resolve) => receiver.server.close(resolve));
      await t.close();
    },
  };
}
