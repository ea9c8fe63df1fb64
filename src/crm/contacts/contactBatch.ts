import { and, eq } from 'drizzle-orm';
import type { Executor, Transaction } from '../../db/connection.ts';
import { contacts } from '../../db/schema/index.ts';
import {
  assertFieldsPermitted,
  contactPolicy,
  findPermittedContactIdsByLookup,
  lockPermittedLookupValues,
  requirePurpose,
  type AccessContext,
  type ContactPolicy,
  type PurposeContext,
} from '../../kernel/index.ts';
import { DomainError, notFound } from '../../shared/domainError.ts';
import { refuseForbiddenItems, runBatch, type ItemOutcome, type ItemResult } from '../batch/batchRunner.ts';
import { createContactsSetWise } from './contactBatchCreates.ts';
import { matchValue, namedValues, type ContactBatchItem, type ContactBatchRequest } from './contactBatchRequest.ts';
import { apiFieldName, personalFieldByApiName, type ContactPersonalApiField } from './contactFields.ts';
import type { ContactChangeInput, ContactCreateInput } from './contactInput.ts';
import { createContact, updateContact } from './contactService.ts';

/*
 * Batch create, update and upsert of contacts for integrations (POST /contacts/batch). Every
 * item passes the checks of the single-record services: the same field policy, duplicate
 * check, subject rules, audit and webhooks as POST and PATCH /contacts — a batch is never a
 * way around them. The items that create a contact are written set-wise first
 * (contactBatchCreates.ts: the same checks, one audit entry for all of them); the others —
 * updates, upserts that find their contact, items naming a value an earlier item named —
 * then run one by one through createContact and updateContact, in request order. An upsert
 * finds its contact by e-mail or by external id (the request says which) with the kernel's
 * exact lookup, under the same advisory lock the duplicate check takes, so two concurrent
 * upserts of one person take turns and the second updates.
 */

/** The stored field names an item writes, for the policy check before anything runs. */
function storedFieldsOf(data: ContactChangeInput): string[] {
  const personal = Object.keys(data).flatMap((key) =>
    key in personalFieldByApiName && data[key as ContactPersonalApiField] !== undefined ? [personalFieldByApiName[key as ContactPersonalApiField]] : [],
  );
  return [...personal, ...Object.keys(data.customFields ?? {})];
}

async function currentVersion(tx: Executor, ctx: PurposeContext, id: string): Promise<number> {
  const [row] = await tx
    .select({ version: contacts.version })
    .from(contacts)
    .where(and(eq(contacts.tenantId, ctx.tenantId), eq(contacts.id, id)));
  if (!row) throw notFound('contact');
  return row.version;
}

const withoutSource = ({ source: _source, ...change }: ContactCreateInput): ContactChangeInput => change;

/** An upsert; its match value was locked with the whole batch's (lockBatchValues). */
async function upsertContact(
  tx: Transaction,
  ctx: PurposeContext,
  policy: ContactPolicy,
  data: ContactCreateInput,
  request: ContactBatchRequest,
): Promise<ItemOutcome> {
  const matchOn = request.matchOn ?? 'email';
  const { field, value } = matchValue(data, matchOn);
  const holders = (await findPermittedContactIdsByLookup(tx, ctx, field, [value], { fieldName: apiFieldName, policy })).get(value) ?? [];
  if (holders.length > 1) {
    throw new DomainError(
      'conflict',
      'More than one contact matches; merge them first (POST /contacts/{id}/merge).',
      [{ field: matchOn, reason: 'matches more than one contact' }],
      {
        duplicateIds: holders,
      },
    );
  }
  if (holders.length === 0) return { id: await createContact(tx, ctx, data, { allowDuplicate: request.allowDuplicate }), outcome: 'created' };
  const [id] = holders;
  await updateContact(tx, ctx, id, await currentVersion(tx, ctx, id), withoutSource(data), { allowDuplicate: request.allowDuplicate });
  return { id, outcome: 'updated' };
}

async function applyItem(
  tx: Transaction,
  ctx: PurposeContext,
  policy: ContactPolicy,
  item: ContactBatchItem,
  request: ContactBatchRequest,
): Promise<ItemOutcome> {
  if (item.op === 'create') return { id: await createContact(tx, ctx, item.data, { allowDuplicate: request.allowDuplicate }), outcome: 'created' };
  if (item.op === 'update') {
    const version = item.version ?? (await currentVersion(tx, ctx, item.id));
    await updateContact(tx, ctx, item.id, version, item.data, { allowDuplicate: request.allowDuplicate });
    return { id: item.id, outcome: 'updated' };
  }
  return upsertContact(tx, ctx, policy, item.data, request);
}

/**
 * Takes every lock the items will take (e-mail addresses, then external ids, each in one
 * sorted pass) before the first item runs: creates and updates take theirs again (advisory
 * locks are re-entrant), so two batches naming the same people in different orders queue
 * instead of deadlocking.
 */
async function lockBatchValues(tx: Transaction, ctx: PurposeContext, policy: ContactPolicy, request: ContactBatchRequest): Promise<void> {
  const emails = new Set<string>();
  const externalIds = new Set<string>();
  for (const { data } of request.items) {
    const { email, externalId } = namedValues(data, request.matchOn);
    if (email) emails.add(email);
    if (externalId) externalIds.add(externalId);
  }
  const options = { fieldName: apiFieldName, policy };
  if (emails.size > 0) await lockPermittedLookupValues(tx, ctx, 'email', [...emails], options);
  if (externalIds.size > 0) await lockPermittedLookupValues(tx, ctx, 'external_id', [...externalIds], options);
}

/**
 * Runs a contact batch in the caller's transaction. Fields the purpose may not write refuse
 * the whole request first (403 naming each item's field), in both modes.
 */
export async function runContactBatch(tx: Transaction, context: AccessContext, request: ContactBatchRequest): Promise<ItemResult[]> {
  const ctx = requirePurpose(context);
  const policy = await contactPolicy(tx, ctx, 'contact.batch');
  refuseForbiddenItems(request.items, (item) => assertFieldsPermitted(policy, storedFieldsOf(item.data), { fieldName: apiFieldName }));
  await lockBatchValues(tx, ctx, policy, request);
  const settled = await createContactsSetWise(tx, ctx, policy, request);
  return runBatch(tx, request.mode, request.items, (savepoint, item) => applyItem(savepoint, ctx, policy, item, request), settled);
}
