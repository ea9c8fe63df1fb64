import type { KeyObject } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { isUuid } from '../db/ids.ts';
import { rowsOf } from '../db/rows.ts';
import { type ConsentEventState, liveConsentStates } from '../shared/consentVocabulary.ts';
import { notFound } from '../shared/domainError.ts';
import type { PurposeContext } from './accessContext.ts';
import { appendAudit } from './audit.ts';
import { inTransaction } from './audit/head.ts';
import { workspaceDeclarations } from './catalog/index.ts';
import { type EventRow, fromRow } from './consentRecords.ts';
import { ledgerConsentStore } from './policy/consentLedger.ts';
import { requireGrantedPurpose } from './policy/purposeGrant.ts';
import { consentReceiptOf, type ConsentReceipt } from './receipts/consentReceipt.ts';
import { keyId, parseCompact, publicJwk, signCompact, verifyCompact, type PublicJwk } from './receipts/jws.ts';
import { kernelKeyStore } from './runtime.ts';
import type { SubjectKind } from './subjectStanding.ts';

/*
 * Consent receipts: each consent-ledger event, signed on request as a compact JWS (EdDSA)
 * by the workspace's receipt key (the key store's, never the audit's), and checked by
 * anyone with verifyConsentReceipt. A receipt is made from the ledger each time it is
 * asked for, so nothing new is stored: Ed25519 signatures are deterministic, and the same
 * event under the same key yields the same receipt byte for byte.
 */

export type { ConsentReceipt } from './receipts/consentReceipt.ts';
export type { PublicJwk } from './receipts/jws.ts';
export type SignedConsentReceipt = { jws: string; receipt: ConsentReceipt; kid: string };

type ReceiptRow = EventRow & {
  description: string;
  legal_basis: string;
  data_use: string;
  name: string;
  default_region: string;
};

async function currentReceiptKey(tenantId: string): Promise<{ privateKey: KeyObject; kid: string }> {
  const pairs = await kernelKeyStore().receiptSigningKeyPairs(tenantId);
  const { privateKey, publicKey } = pairs[pairs.length - 1]!;
  return { privateKey, kid: keyId(publicKey) };
}

/**
 * The signed receipt of one event of the subject's consent ledger. The context's purpose
 * must be granted (403); an event that is not this subject's (or a subject of another kind
 * than `subjectKind`) is 404. One audit entry, `consent.receipt_read`, naming the subject by pseudonym.
 * `controllerUrl` is where the workspace's Candor answers (its public URL).
 */
export function consentReceipt(
  executor: Executor,
  ctx: PurposeContext,
  subjectId: string,
  eventId: string,
  options: { subjectKind?: SubjectKind; controllerUrl: string },
): Promise<SignedConsentReceipt> {
  return inTransaction(executor, async (tx) => {
    await requireGrantedPurpose(tx, ctx);
    if (!isUuid(subjectId) || !isUuid(eventId)) throw notFound('consent event');
    const kindFilter =
      options.subjectKind === 'contact'
        ? sql`and exists (select 1 from contacts c where c.tenant_id = e.tenant_id and c.id = e.subject_id)`
        : options.subjectKind === 'visitor'
          ? sql`and exists (select 1 from visitors v where v.tenant_id = e.tenant_id and v.id = e.subject_id)`
          : sql``;
    const [row] = await receiptRows(tx, ctx.tenantId, subjectId, sql`and e.id = ${eventId.toLowerCase()}::uuid ${kindFilter}`);
    if (!row) throw notFound('consent event');
    const { receipt, jws, kid } = await signReceipts(tx, ctx.tenantId, [row], options.controllerUrl).then((signed) => signed[0]!);
    await appendAudit(tx, ctx, {
      action: 'consent.receipt_read',
      object: options.subjectKind ?? 'subject',
      recordIds: [row.id],
      subjectIds: [row.subject_id],
      detail: { purposeKey: row.purpose_key },
    });
    return { jws, receipt, kid };
  });
}

function receiptRows(tx: Executor, tenantId: string, subjectId: string, filter: SQL): Promise<ReceiptRow[]> {
  return tx
    .execute(sql`
      select e.id, e.subject_id, e.purpose_key, e.state, e.recorded_at, e.expires_at, e.notice_version, e.notice_hash, e.channel,
             null as evidence, e.actor, p.description, p.legal_basis, p.data_use, w.name, w.default_region
      from consent_events e
      join purposes p on p.tenant_id = e.tenant_id and p.key = e.purpose_key
      join workspaces w on w.id = e.tenant_id
      where e.tenant_id = ${tenantId}::uuid and e.subject_id = ${subjectId.toLowerCase()}::uuid ${filter}
      order by e.recorded_at, e.id`)
    .then((result) => rowsOf<ReceiptRow>(result));
}

async function signReceipts(tx: Executor, tenantId: string, rows: readonly ReceiptRow[], controllerUrl: string): Promise<SignedConsentReceipt[]> {
  if (rows.length === 0) return [];
  const declarations = (await workspaceDeclarations(tx, tenantId)).map((entry) => entry.declaration);
  const unique = (values: string[]) => [...new Set(values)].sort();
  const { privateKey, kid } = await currentReceiptKey(tenantId);
  return rows.map((row) => {
    const declared = declarations.filter((d) => d.purposes.includes(row.purpose_key));
    const receipt = consentReceiptOf(
      fromRow(row),
      { key: row.purpose_key, description: row.description, legalBasis: row.legal_basis, dataUse: row.data_use },
      {
        categories: unique(declared.map((d) => d.dataCategory)),
        specialCategories: unique(declared.filter((d) => d.sensitivity === 'special').map((d) => d.dataCategory)),
      },
      { name: row.name, region: row.default_region, url: controllerUrl },
      kid,
    );
    return { jws: signCompact(receipt, privateKey, kid), receipt, kid };
  });
}

/**
 * Every receipt of the subject's ledger by event id, for a caller inside the kernel that
 * has decided and audits the read itself (the subject access read). Two statements.
 */
export async function subjectConsentReceipts(
  tx: Executor,
  tenantId: string,
  subjectId: string,
  controllerUrl: string,
): Promise<Map<string, SignedConsentReceipt>> {
  const rows = await receiptRows(tx, tenantId, subjectId, sql``);
  const signed = await signReceipts(tx, tenantId, rows, controllerUrl);
  return new Map(rows.map((row, index) => [row.id, signed[index]!]));
}

type KnownKey = { tenantId: string; publicKey: KeyObject };

/** Every workspace's receipt public keys by kid (a workspace gets its first key here if it had none). */
async function receiptKeysByKid(executor: Executor): Promise<Map<string, KnownKey>> {
  const workspaces = rowsOf<{ id: string }>(await executor.execute(sql`select id from workspaces order by created_at, id`));
  const keys = new Map<string, KnownKey>();
  for (const { id } of workspaces) {
    for (const { publicKey } of await kernelKeyStore().receiptSigningKeyPairs(id)) keys.set(keyId(publicKey), { tenantId: id, publicKey });
  }
  return keys;
}

/**
 * The public keys that verify receipts, as a JWK Set (RFC 7517): every workspace's current
 * and earlier receipt keys, so a receipt signed before a rotation still verifies. Kids are
 * key thumbprints (RFC 7638): they name no workspace.
 */
export async function receiptKeySet(executor: Executor): Promise<{ keys: PublicJwk[] }> {
  return { keys: [...(await receiptKeysByKid(executor)).values()].map((key) => publicJwk(key.publicKey)) };
}

/** Starts signing the workspace's receipts with a new key; receipts signed before still verify. */
export async function rotateReceiptKey(tenantId: string): Promise<{ kid: string }> {
  await kernelKeyStore().rotateReceiptSigningKey(tenantId);
  return { kid: (await currentReceiptKey(tenantId)).kid };
}

export type ReceiptVerification =
  | { valid: true; live: boolean; eventId: string; purposeKey: string; state: ConsentEventState }
  | { valid: false; reason: 'malformed' | 'unsupported_algorithm' | 'unknown_key' | 'bad_signature' | 'not_a_receipt'; live: null };

/**
 * Checks a receipt's signature against the receipt keys and asks the ledger whether the
 * consent it records still counts: `live` is true when the receipt records a given or
 * renewed consent and the person's consent to that purpose is live at `now` (false after a
 * withdrawal, a refusal or the expiry). The workspace is the one whose key signed, never
 * a claim of the receipt. The answer names the event and the purpose, never the person.
 */
export async function verifyConsentReceipt(executor: Executor, jws: string, now: Date = new Date()): Promise<ReceiptVerification> {
  const parts = parseCompact(jws);
  if (typeof parts === 'string') return { valid: false, reason: parts, live: null };
  const key = (await receiptKeysByKid(executor)).get(parts.kid);
  if (!key) return { valid: false, reason: 'unknown_key', live: null };
  if (!verifyCompact(parts, key.publicKey)) return { valid: false, reason: 'bad_signature', live: null };
  const receipt = parts.payload as Partial<ConsentReceipt> | null;
  const record = receipt?.iso27560;
  const state = record?.consentStatus?.state;
  // Signed by a receipt key but not shaped as Candor makes receipts: nothing to ask the ledger.
  if (
    typeof receipt?.piiPrincipalId !== 'string' ||
    !isUuid(receipt.piiPrincipalId) ||
    typeof record?.purpose?.key !== 'string' ||
    typeof record.recordId !== 'string' ||
    typeof state !== 'string'
  ) {
    return { valid: false, reason: 'not_a_receipt', live: null };
  }
  const live =
    (liveConsentStates as readonly string[]).includes(state) &&
    (await ledgerConsentStore.isLive(executor, key.tenantId, receipt.piiPrincipalId, record.purpose.key, now));
  return { valid: true, live, eventId: record.recordId, purposeKey: record.purpose.key, state };
}
