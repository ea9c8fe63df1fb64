import { sql } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { selectRows } from '../db/rows.ts';
import { normalizeEmail } from '../shared/normalize.ts';
import { invalid } from '../shared/domainError.ts';
import type { PurposeContext } from './accessContext.ts';
import { appendAudit } from './audit.ts';
import { assertFieldsPermitted, contactPolicy } from './contactAccess.ts';
import { findContactIdsByLookup } from './contactLookups.ts';
import { contactBlindIndexKey } from './contactVault.ts';
import { blindToken } from './lookupTokens.ts';
import { kernelKeyStore } from './runtime.ts';
import { ensureSubjectKeys, openValue, sealValue, shredSubjects, unwrapSubjectKeys } from './vault/index.ts';

/*
 * The identity a data-subject rights request names — the requester's e-mail address, name
 * and what they wrote — is personal data like any other: it is sealed here, AES-256-GCM
 * under a data key of its own whose subject id is the request id (wrapped under the
 * workspace's epoch like every data key), into rights_requests.requester_identity. Its own key, not the
 * matched contact's: a request for an unknown address has no contact, and the identity must
 * outlive a contact's erasure only until the request's own shredding (shredRequestIdentity),
 * which counts as an erasure so the next epoch advance covers database copies too.
 *
 * Matching the request to a contact is an exact lookup by the e-mail's blind index, the same
 * index the CRM uses; the address itself never reaches a query. The same index of the
 * requester's address is kept beside the sealed identity (rights_requests.requester_email_index,
 * migration 0036), so a person who proved their address finds the requests made with it
 * without anyone's identity being opened; it goes with the identity when that is shredded.
 * Opening identities needs the purpose's grant and the e-mail field declared for it
 * (legal_compliance), and is audited.
 */

/**
 * What an authorised agent vouches for beside the address (Data Rights Protocol claims: phone
 * number, postal address, which of them it verified, a power of attorney): personal values,
 * sealed with the rest.
 */
export type VouchedClaims = Record<string, string | boolean | Record<string, string>>;

/** `corrections`: a rectification's requested values by catalog field name (null removes), sealed with the rest. */
export type RequestIdentity = {
  email: string;
  name: string | null;
  details: string | null;
  corrections?: Record<string, string | null>;
  vouched?: VouchedClaims;
};
export type RequestIdentityInput = {
  email: string;
  name?: string | null;
  details?: string | null;
  corrections?: Record<string, string | null>;
  vouched?: VouchedClaims;
};

const fieldName = /^[a-z][a-z0-9_]{0,62}$/;

const identityField = 'rights_request.identity';
const identityFields = ['email', 'name', 'details', 'corrections', 'vouched'];

async function checkedPolicy(tx: Executor, ctx: PurposeContext, action: string): Promise<void> {
  const policy = await contactPolicy(tx, ctx, action);
  assertFieldsPermitted(policy, ['email']);
}

/** Normalises the address (422 naming `email` when it is none) and keeps name and details as given. */
export function requestIdentityOf(input: RequestIdentityInput): RequestIdentity {
  const email = normalizeEmail(input.email);
  if (email === null) throw invalid('email', 'is not an e-mail address');
  const identity: RequestIdentity = {
    email,
    name: input.name?.trim() || null,
    details: input.details?.trim() || null,
    ...(input.vouched && Object.keys(input.vouched).length > 0 ? { vouched: input.vouched } : {}),
  };
  if (input.corrections === undefined) return identity;
  const fields = Object.keys(input.corrections);
  if (fields.length === 0 || fields.length > 20) throw invalid('corrections', 'names 1 to 20 fields');
  const bad = fields.find((field) => !fieldName.test(field));
  if (bad !== undefined) throw invalid('corrections', 'field names as the data catalog declares them (first_name, email…)');
  return { ...identity, corrections: input.corrections };
}

/** The blind index of the address, normalised (the e-mail index contacts' lookups use), or null when it is no address. */
async function emailIndexOf(tenantId: string, email: string): Promise<string | null> {
  const normalized = normalizeEmail(email);
  return normalized === null ? null : blindToken(await contactBlindIndexKey(tenantId), 'email', normalized);
}

/** Seals the identity into the request's row (which must exist) under the request's own fresh key, with its e-mail's blind index. */
export async function sealRequestIdentity(tx: Executor, ctx: PurposeContext, requestId: string, identity: RequestIdentity): Promise<void> {
  await checkedPolicy(tx, ctx, 'rights_request.identity_sealed');
  const keys = (await ensureSubjectKeys(tx, kernelKeyStore(), ctx.tenantId, [requestId], undefined, { fresh: true })).get(requestId)!;
  const sealed = sealValue(keys, identityField, identity);
  const emailIndex = await emailIndexOf(ctx.tenantId, identity.email);
  await tx.execute(
    sql`update rights_requests set requester_identity = ${sealed}, requester_email_index = ${emailIndex}
        where tenant_id = ${ctx.tenantId} and id = ${requestId}`,
  );
}

/**
 * The blind index under which requests made with the address are kept
 * (rights_requests.requester_email_index), or null when it is no address: an opaque keyed
 * value, equal only for the same normalised address, for listing a person's own requests
 * by the address they proved without opening any request's identity. Requests received
 * before migration 0036 have no index (it cannot be computed without opening them).
 */
export async function requestEmailIndex(tx: Executor, ctx: PurposeContext, email: string): Promise<string | null> {
  await checkedPolicy(tx, ctx, 'rights_request.matched');
  return emailIndexOf(ctx.tenantId, email);
}

/**
 * The identities of the requests, by request id; a request whose identity was shredded (or
 * never sealed) is absent. One audit entry names the requests and the fields opened.
 */
export async function openRequestIdentities(tx: Executor, ctx: PurposeContext, requestIds: readonly string[]): Promise<Map<string, RequestIdentity>> {
  const opened = new Map<string, RequestIdentity>();
  if (requestIds.length === 0) return opened;
  await checkedPolicy(tx, ctx, 'rights_request.identity_opened');
  const rows = await selectRows<{ id: string; requester_identity: string }>(
    tx,
    sql`select id, requester_identity from rights_requests
        where tenant_id = ${ctx.tenantId} and id = any(${sql.param([...requestIds])}::uuid[]) and requester_identity is not null`,
  );
  const keys = await unwrapSubjectKeys(
    tx,
    kernelKeyStore(),
    ctx.tenantId,
    rows.map((row) => row.id),
  );
  for (const row of rows) {
    const requestKeys = keys.get(row.id);
    if (requestKeys) opened.set(row.id, openValue(requestKeys, identityField, row.requester_identity) as RequestIdentity);
  }
  await appendAudit(tx, ctx, { action: 'rights_request.identity_opened', object: 'rights_request', recordIds: [...opened.keys()], fields: identityFields });
  return opened;
}

/**
 * The contact the request's e-mail belongs to, by its blind index, or null: the oldest when
 * several share the address. The same work whether or not one does.
 */
export async function matchRequestContact(tx: Executor, ctx: PurposeContext, email: string): Promise<string | null> {
  await checkedPolicy(tx, ctx, 'rights_request.matched');
  const normalized = normalizeEmail(email);
  if (normalized === null) return null;
  const found = await findContactIdsByLookup(tx, ctx, 'email', [normalized]);
  return found.get(normalized)?.[0] ?? null;
}

/**
 * Forgets the requester's identity for good: the sealed value and its e-mail's blind index
 * are cleared and its key shredded (an erasure: the next epoch advance makes copies unreadable). The request row,
 * its deadlines and its events stay as the record that the right was answered.
 * Idempotent; returns whether an identity was still held.
 */
export async function shredRequestIdentity(executor: Executor, workspaceId: string, requestId: string): Promise<boolean> {
  const cleared = await selectRows<{ id: string }>(
    executor,
    sql`update rights_requests set requester_identity = null, requester_email_index = null, updated_at = now()
        where tenant_id = ${workspaceId} and id = ${requestId} and (requester_identity is not null or requester_email_index is not null) returning id`,
  );
  await shredSubjects(executor, workspaceId, [requestId]);
  return cleared.length > 0;
}

/**
 * Shreds the identities of the rights requests of an erased subject (part of its erasure:
 * the e-mail and name a person gave in a request go with them, whichever request it was):
 * every request about the subject, and every request that matched nobody but was made with
 * an address the subject holds — received before the contact existed, or through the
 * portal, the desk or an authorised agent with an address no contact held then. Those are
 * found by the blind index of the address kept beside the sealed identity
 * (requester_email_index), equal to the subject's e-mail lookup tokens, so this must run
 * before the tokens are deleted; no identity is opened. A request matched to another
 * contact that still holds the address stays that contact's. One statement to find and
 * clear them, one to shred their keys, whatever their number. Returns how many were still held.
 */
export async function shredSubjectRequestIdentities(executor: Executor, workspaceId: string, subjectId: string): Promise<number> {
  const cleared = await selectRows<{ id: string }>(
    executor,
    sql`update rights_requests set requester_identity = null, requester_email_index = null, updated_at = now()
        where tenant_id = ${workspaceId}
          and (subject_id = ${subjectId}
               or (subject_id is null and requester_email_index in (
                     select token from lookup_tokens
                     where tenant_id = ${workspaceId} and object = 'contact' and field = 'email' and record_id = ${subjectId})))
          and (requester_identity is not null or requester_email_index is not null) returning id`,
  );
  await shredSubjects(
    executor,
    workspaceId,
    cleared.map((row) => row.id),
  );
  return cleared.length;
}
