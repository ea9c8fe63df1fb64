import { z } from 'zod';
import { receiptKeySet, requirePurpose } from '../../kernel/index.ts';
import { contactConsentReceipt, verifyReceiptFor } from '../../privacy/consentReceipts.ts';
import { consentEventStates } from '../../shared/consentVocabulary.ts';
import { uuid, uuidLookup } from '../openapi/components.ts';
import { accessContext } from '../principal.ts';
import { withheldSchema } from './recordRouteSupport.ts';
import { routePlugin } from './routePlugin.ts';

/*
 * Consent receipts (Kantara Consent Receipt v1.1 signed as a compact JWS, EdDSA): staff
 * fetch the receipt of a contact's consent event; anyone verifies one. The keys that verify
 * are published at /.well-known/candor-receipt-keys.json (receiptKeysRoutes below).
 */

const receiptEnvelope = z.object({
  data: z.object({
    eventId: uuid,
    kid: z.string().describe('The thumbprint (RFC 7638) of the key that signed, as in the JWS header and the published key set'),
    jws: z.string().describe('The receipt as a compact JWS (header.payload.signature), EdDSA over Ed25519'),
    receipt: z
      .record(z.string(), z.unknown())
      .describe('The JWS payload decoded: a Kantara Consent Receipt v1.1 with the ISO/IEC TS 27560 record in its iso27560 member'),
  }),
  withheld: withheldSchema,
});

const verifyBody = z.object({ receipt: z.string().min(1).max(20_000).describe('The compact JWS of a Candor consent receipt') });

const verification = z.object({
  valid: z.boolean().describe('Whether the signature verifies under one of the published receipt keys'),
  reason: z.enum(['malformed', 'unsupported_algorithm', 'unknown_key', 'bad_signature', 'not_a_receipt']).optional().describe('Why the receipt is not valid'),
  live: z
    .boolean()
    .nullable()
    .describe('Whether the consent this receipt records still counts now (given or renewed, neither withdrawn nor expired since); null when not valid'),
  eventId: uuid.nullable(),
  purposeKey: z.string().nullable(),
  state: z.enum(consentEventStates).nullable().describe('What the receipt records: given, refused, withdrawn…'),
});

export const consentReceiptRoutes = routePlugin(async (app, deps) => {
  app.get(
    '/contacts/:id/consents/:eventId/receipt',
    {
      schema: {
        operationId: 'getContactConsentReceipt',
        tags: ['consents'],
        summary: "The signed receipt of one of a contact's consent events (Kantara Consent Receipt v1.1 as a compact JWS)",
        params: z.object({ id: uuidLookup, eventId: uuidLookup }),
        response: { 200: receiptEnvelope },
      },
    },
    async (request) => {
      const ctx = requirePurpose(accessContext(request, 'contact:read'));
      const signed = await contactConsentReceipt(ctx, deps.database.db, request.params.id, request.params.eventId, deps.config.publicUrl);
      return { data: { eventId: signed.receipt.consentReceiptID, kid: signed.kid, jws: signed.jws, receipt: signed.receipt }, withheld: [] };
    },
  );

  app.post(
    '/consent-receipts/verify',
    {
      config: { public: true, problems: ['rate_limited'] },
      schema: {
        operationId: 'verifyConsentReceipt',
        tags: ['consents'],
        summary: 'Verify a consent receipt and ask whether the consent it records is still live (public; no personal data in the answer)',
        security: [],
        body: verifyBody,
        response: { 200: z.object({ data: verification }) },
      },
    },
    async (request) => {
      const result = await verifyReceiptFor(deps.database.db, request.ip, request.body.receipt.trim());
      if (!result.valid) return { data: { valid: false, reason: result.reason, live: null, eventId: null, purposeKey: null, state: null } };
      return { data: { valid: true, live: result.live, eventId: result.eventId, purposeKey: result.purposeKey, state: result.state } };
    },
  );
});

const jwk = z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string(), kid: z.string(), alg: z.literal('EdDSA'), use: z.literal('sig') });

/** The JWK Set that verifies consent receipts, at the well-known address verifiers look for it. */
export const receiptKeysRoutes = routePlugin(async (app, deps) => {
  app.get(
    '/candor-receipt-keys.json',
    {
      config: { public: true },
      schema: {
        operationId: 'getConsentReceiptKeys',
        tags: ['consents'],
        summary: 'The public keys (JWK Set, Ed25519) that verify consent receipts, current and earlier ones',
        security: [],
        response: { 200: z.object({ keys: z.array(jwk) }) },
      },
    },
    async (_request, reply) => {
      reply.header('Cache-Control', 'public, max-age=300');
      return receiptKeySet(deps.database.db);
    },
  );
}, '/.well-known');
