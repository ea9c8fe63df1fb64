import { readFileSync } from 'node:fs';
import AjvDraft04 from 'ajv-draft-04';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotateReceiptKey } from '../src/kernel/index.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

/*
 * Consent receipts: every ledger event yields a Kantara Consent Receipt v1.1 signed as a
 * compact JWS (EdDSA). The receipt validates against Kantara's strict schema (a test
 * fixture, see test/fixtures/consent-receipt/NOTICE.md); the public verifier finds one byte
 * changed anywhere, an unknown or wrong key, and asks the ledger whether the consent is live.
 */

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/consent-receipt/${name}`, import.meta.url), 'utf8'));
// A CommonJS module: its class is the default export's `default` under Node's ESM interop.
const ajv = new AjvDraft04.default({ allErrors: true, strict: false });
const validateKantara = ajv.compile(fixture('kantara-consent-receipt-v1_1-schema.strict.json'));

let t: TestApp;
let workspace: TestWorkspace;
beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
});
afterAll(() => t.close());

const marketing = (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
  t.request(workspace.keys.marketing, { method, url, payload, purpose: 'email_marketing' });
const verify = (receipt: string, remoteAddress = '198.51.100.7') =>
  t.app.inject({ method: 'POST', url: '/api/v1/consent-receipts/verify', payload: { receipt }, remoteAddress });

async function contactWithConsent(email: string): Promise<{ id: string; eventId: string }> {
  const created = await t.request(workspace.keys.admin, {
    method: 'POST',
    url: '/api/v1/contacts',
    payload: { firstName: 'Receipt', email },
    purpose: 'sales',
  });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().data.id;
  const given = await marketing('POST', `/api/v1/contacts/${id}/consents`, { purposeKey: 'email_marketing', state: 'given', note: 'At the fair' });
  expect(given.statusCode, given.body).toBe(201);
  return { id, eventId: given.json().data.id };
}

async function receiptOf(contactId: string, eventId: string) {
  const response = await marketing('GET', `/api/v1/contacts/${contactId}/consents/${eventId}/receipt`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().data as { jws: string; kid: string; eventId: string; receipt: Record<string, unknown> };
}

/** The JWS with one character of the part changed to another base64url character. */
function alter(jws: string, part: 0 | 1 | 2): string {
  const parts = jws.split('.');
  const text = parts[part]!;
  const at = Math.floor(text.length / 2);
  parts[part] = text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
  return parts.join('.');
}

describe('consent receipts', () => {
  it('are Kantara v1.1 receipts (the strict schema) with the 27560 record, naming the person by subject id only', async () => {
    expect(validateKantara(fixture('kantara-consent-receipt-v1_1-example.json'))).toBe(true);
    const { id, eventId } = await contactWithConsent('receipt.schema@example.org');
    const { jws, receipt, kid } = await receiptOf(id, eventId);
    expect(validateKantara(receipt), JSON.stringify(validateKantara.errors)).toBe(true);
    const [header, payload] = jws
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
    expect(header).toEqual({ alg: 'EdDSA', typ: 'JWT', kid });
    expect(payload).toEqual(receipt);
    expect(receipt).toMatchObject({
      version: 'KI-CR-v1.1.0',
      consentReceiptID: eventId,
      piiPrincipalId: id,
      iso27560: {
        recordId: eventId,
        consentStatus: { state: 'given', iri: 'https://w3id.org/dpv#ConsentGiven' },
        collectionChannel: 'staff',
        legalBasis: 'https://w3id.org/dpv#Consent',
        purpose: { key: 'email_marketing' },
      },
    });
    // Neither the contact's e-mail nor the sealed note travels with a receipt.
    expect(jws + JSON.stringify(receipt)).not.toMatch(/receipt\.schema|At the fair/);
    const keys = await t.app.inject({ method: 'GET', url: '/.well-known/candor-receipt-keys.json' });
    expect(keys.statusCode).toBe(200);
    expect(keys.json().keys).toContainEqual({ kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid, alg: 'EdDSA', use: 'sig' });
  });

  it('verify as valid and live; one byte changed in the header, the payload or the signature fails', async () => {
    const { id, eventId } = await contactWithConsent('receipt.bytes@example.org');
    const { jws } = await receiptOf(id, eventId);
    const answer = await verify(jws);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json().data).toEqual({ valid: true, live: true, eventId, purposeKey: 'email_marketing', state: 'given' });
    for (const part of [0, 1, 2] as const) {
      const result = (await verify(alter(jws, part))).json().data;
      expect(result, `part ${part}`).toMatchObject({ valid: false, live: null, eventId: null, purposeKey: null });
      expect(['malformed', 'unknown_key', 'bad_signature']).toContain(result.reason);
    }
    // A change that still parses is caught by the signature itself.
    const [header, payload, signature] = jws.split('.');
    const forged = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    forged.iso27560.purpose.key = 'web_analytics';
    expect((await verify(`${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`)).json().data.reason).toBe('bad_signature');
    expect((await verify('not a receipt')).json().data).toMatchObject({ valid: false, reason: 'malformed' });
  });

  it('a withdrawn consent: its receipts verify as valid but not live; the withdrawal has its own receipt', async () => {
    const { id, eventId } = await contactWithConsent('receipt.withdrawn@example.org');
    const given = await receiptOf(id, eventId);
    const withdrawn = await marketing('POST', `/api/v1/contacts/${id}/consents`, { purposeKey: 'email_marketing', state: 'withdrawn' });
    expect(withdrawn.statusCode).toBe(201);
    expect((await verify(given.jws)).json().data).toEqual({ valid: true, live: false, eventId, purposeKey: 'email_marketing', state: 'given' });
    const withdrawal = await receiptOf(id, withdrawn.json().data.id);
    expect(validateKantara(withdrawal.receipt)).toBe(true);
    expect((await verify(withdrawal.jws)).json().data).toMatchObject({ valid: true, live: false, state: 'withdrawn' });
  });

  it('a wrong or unknown kid fails; after a rotation new receipts use the new key and old ones still verify', async () => {
    const { id, eventId } = await contactWithConsent('receipt.rotation@example.org');
    const before = await receiptOf(id, eventId);
    const [, payload, signature] = before.jws.split('.');
    const headerWith = (kid: string) => Buffer.from(JSON.stringify({ alg: 'EdDSA', typ: 'JWT', kid })).toString('base64url');
    expect((await verify(`${headerWith('no-such-key')}.${payload}.${signature}`)).json().data.reason).toBe('unknown_key');
    const other = await t.createWorkspace();
    const otherKid = (await rotateReceiptKey(other.id)).kid;
    expect((await verify(`${headerWith(otherKid)}.${payload}.${signature}`)).json().data.reason).toBe('bad_signature');
    const none = Buffer.from(JSON.stringify({ alg: 'none', kid: before.kid })).toString('base64url');
    expect((await verify(`${none}.${payload}.${signature}`)).json().data.reason).toBe('unsupported_algorithm');

    const { kid: newKid } = await rotateReceiptKey(workspace.id);
    const after = await receiptOf(id, eventId);
    expect(after.kid).toBe(newKid);
    expect(after.kid).not.toBe(before.kid);
    expect((await verify(before.jws)).json().data).toMatchObject({ valid: true, live: true });
    expect((await verify(after.jws)).json().data).toMatchObject({ valid: true, live: true });
    const kids = (await t.app.inject({ method: 'GET', url: '/.well-known/candor-receipt-keys.json' })).json().keys.map((key: { kid: string }) => key.kid);
    expect(kids).toEqual(expect.arrayContaining([before.kid, after.kid]));
  });

  it("refuses another contact's event (404), a role without the purpose (403), and limits verification per client (429)", async () => {
    const first = await contactWithConsent('receipt.first@example.org');
    const second = await contactWithConsent('receipt.second@example.org');
    expect((await marketing('GET', `/api/v1/contacts/${second.id}/consents/${first.eventId}/receipt`)).statusCode).toBe(404);
    const sales = await t.request(workspace.keys.sales, {
      method: 'GET',
      url: `/api/v1/contacts/${first.id}/consents/${first.eventId}/receipt`,
      purpose: 'email_marketing',
    });
    expect(sales.statusCode).toBe(403);
    const { jws } = await receiptOf(first.id, first.eventId);
    const statuses: number[] = [];
    for (let i = 0; i < 61; i += 1) statuses.push((await verify(jws, '203.0.113.99')).statusCode);
    expect(statuses.slice(0, 60).every((status) => status === 200)).toBe(true);
    expect(statuses[60]).toBe(429);
    expect((await verify(jws, '203.0.113.100')).statusCode).toBe(200);
  });
});
