import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/*
 * An authorised agent as the Data Rights Protocol has it sign (§3.07.1): an Ed25519 key pair
 * whose public half is the base64 libsodium verify key the admin registers, and messages
 * sent as base64 of the 64-byte signature followed by the JSON (libsodium's combined mode),
 * as text/plain. Claims default to a valid message for this agent and business, signed now
 * with a 15-minute window; a test overrides any of them.
 */

export type Claims = Record<string, unknown>;

export type DrpAgentClient = {
  agentId: string;
  businessId: string;
  verifyKey: string;
  token: string | null;
  /** The signed body of `claims` (the defaults merged in unless `bare`). */
  signed(claims?: Claims, options?: { bare?: boolean; key?: KeyObject }): string;
  setUp(body?: string, agentId?: string): Promise<LightMyRequestResponse>;
  checkToken(agentId?: string, token?: string | null): Promise<LightMyRequestResponse>;
  exercise(claims: Claims, body?: string): Promise<LightMyRequestResponse>;
  status(requestId: string): Promise<LightMyRequestResponse>;
  /** DELETE with `claims` signed (the defaults merged in unless `bare`), as text/plain unless `contentType` is null. */
  revoke(requestId: string, claims?: Claims, options?: { bare?: boolean; key?: KeyObject; contentType?: string | null }): Promise<LightMyRequestResponse>;
};

export const newSigningKey = () => generateKeyPairSync('ed25519').privateKey;

/** The base64 (not url-safe) raw 32-byte public key of an Ed25519 private key: libsodium's verify key. */
export function verifyKeyOf(privateKey: KeyObject): string {
  const jwk = privateKey.export({ format: 'jwk' });
  return Buffer.from(String(jwk.x), 'base64url').toString('base64');
}

export function signCombined(message: string, privateKey: KeyObject): string {
  const bytes = Buffer.from(message, 'utf8');
  return Buffer.concat([sign(null, bytes, privateKey), bytes]).toString('base64');
}

/** The claims of a valid message of the agent to the business, signed now with a 15-minute window. */
export function validClaims(agentId: string, businessId: string): Claims {
  const now = Date.now();
  return {
    'agent-id': agentId,
    'business-id': businessId,
    'issued-at': new Date(now - 1000).toISOString(),
    'expires-at': new Date(now + 15 * 60_000).toISOString(),
    'drp.version': '1.0',
  };
}

export function drpAgentClient(app: FastifyInstance, agentId: string, businessId: string, privateKey: KeyObject = newSigningKey()): DrpAgentClient {
  const client: DrpAgentClient = {
    agentId,
    businessId,
    verifyKey: verifyKeyOf(privateKey),
    token: null,
    signed(claims = {}, options = {}) {
      const message = options.bare ? claims : { ...validClaims(agentId, businessId), ...claims };
      return signCombined(JSON.stringify(message), options.key ?? privateKey);
    },
    async setUp(body = client.signed(), id = agentId) {
      const response = await app.inject({ method: 'POST', url: `/v1/agent/${id}`, headers: { 'content-type': 'text/plain' }, payload: body });
      if (response.statusCode === 200) client.token = response.json().token;
      return response;
    },
    checkToken(id = agentId, token = client.token) {
      return app.inject({ method: 'GET', url: `/v1/agent/${id}`, headers: token === null ? {} : { authorization: `Bearer ${token}` } });
    },
    exercise(claims, body = client.signed(claims)) {
      return app.inject({
        method: 'POST',
        url: '/v1/data-rights-request',
        headers: { 'content-type': 'text/plain', authorization: `Bearer ${client.token}` },
        payload: body,
      });
    },
    status(requestId) {
      return app.inject({ method: 'GET', url: `/v1/data-rights-request/${requestId}`, headers: { authorization: `Bearer ${client.token}` } });
    },
    revoke(requestId, claims = {}, options = {}) {
      const contentType = options.contentType === undefined ? 'text/plain' : options.contentType;
      return app.inject({
        method: 'DELETE',
        url: `/v1/data-rights-request/${requestId}`,
        headers: { ...(contentType === null ? {} : { 'content-type': contentType }), authorization: `Bearer ${client.token}` },
        payload: client.signed(claims, options),
      });
    },
  };
  return client;
}
