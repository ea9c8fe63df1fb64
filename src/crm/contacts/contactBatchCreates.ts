import type { Transaction } from '../../db/connection.ts';
import {
  createPermittedContacts,
  findPermittedContactIdsByLookup,
  suppressedEmails,
  suppressedError,
  type ContactPolicy,
  type NewContact,
  type PurposeContext,
} from '../../kernel/index.ts';
import { recordChanges } from '../../platform/changes.ts';
import { DomainError } from '../../shared/domainError.ts';
import type { ItemOutcome, SettledItems } from '../batch/batchRunner.ts';
import { matchValue, namedValues, type ContactBatchRequest, type ContactMatch } from './contactBatchRequest.ts';
import { apiFieldName } from './contactFields.ts';
import { contactCreated, loadCreateSetting, newContactOf, personalValuesOf, type ContactCreateInput } from './contactInput.ts';

/*
 * The set-wise part of a contact batch: the items that create a contact (`create`, and
 * `upsert` whose match value no contact holds) are checked and written together, in a
 * number of statements that does not grow with the batch — one lookup per kind of value
 * (match values and the duplicate check's e-mail addresses together), one query per kind
 * of thing the checks need (region, custom field definitions, owners, companies), the
 * kernel's set-wise create (keys, sealed rows, tokens), ONE audit entry naming every
 * created person and the webhook deliveries in one INSERT (still one per record and
 * subscription). The checks are POST /contacts's own (contactInput.ts), in its order, so an
 * item refused here gets the error it would get alone.
 *
 * Only items whose outcome no other item of the batch can change are settled here: an
 * item must be the first of the batch to name each of its values (its e-mail address, and
 * its external id when upserts match on it), so two items with one address keep the
 * one-by-one meaning — the first creates, a later upsert updates it, a later create is a
 * duplicate (409). Those later items, updates, upserts that match a contact and creates
 * whose address a contact holds already run one by one after this, in request order,
 * through the single-record services (contactBatch.ts): updates stay per item.
 */

type Create = { index: number; data: ContactCreateInput; upsert: boolean };

/** The create and upsert items that are the first of the batch to name each of their values. */
function firstNamers(request: ContactBatchRequest): Create[] {
  const named = new Set<string>();
  const creates: Create[] = [];
  request.items.forEach((item, index) => {
    const { email, externalId } = namedValues(item.data, request.matchOn);
    const keys = [...(email ? [`email:${email}`] : []), ...(externalId ? [`external_id:${externalId}`] : [])];
    if (item.op !== 'update' && keys.every((key) => !named.has(key))) creates.push({ index, data: item.data, upsert: item.op === 'upsert' });
    for (const key of keys) named.add(key);
  });
  return creates;
}

/** Value → ids of the contacts holding it, for every value of this kind the creates name (one query). */
async function holdersOf(
  tx: Transaction,
  ctx: PurposeContext,
  policy: ContactPolicy,
  field: 'email' | 'external_id',
  values: ReadonlyArray<string | null>,
): Promise<Map<string, string[]>> {
  const distinct = [...new Set(values.filter((value): value is string => value !== null))];
  if (distinct.length === 0) return new Map();
  const found = await findPermittedContactIdsByLookup(tx, ctx, field, distinct, { fieldName: apiFieldName, policy });
  // Every value looked up gets an entry, so "nobody holds it" is told apart from "not looked up".
  return new Map(distinct.map((value) => [value, found.get(value) ?? []]));
}

/** The work's result, or the DomainError refusing the item (its settled answer); anything else fails the request. */
function attempt<T>(work: () => T): T | DomainError {
  try {
    return work();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
}

/**
 * Creates the batch's new contacts set-wise, in the caller's transaction, after the batch's
 * values were locked (lockBatchValues). Returns what it settled: the items it created and
 * those it refused (by index); the batch runs the rest one by one.
 */
export async function createContactsSetWise(tx: Transaction, ctx: PurposeContext, policy: ContactPolicy, request: ContactBatchRequest): Promise<SettledItems> {
  const matchOn: ContactMatch = request.matchOn ?? 'email';
  const settled = new Map<number, ItemOutcome | DomainError>();
  const candidates = firstNamers(request);
  const values = candidates.map((create) => namedValues(create.data, matchOn));
  const emails = await holdersOf(tx, ctx, policy, 'email', matchOn === 'email' || !request.allowDuplicate ? values.map((value) => value.email) : []);
  const externalIds = await holdersOf(
    tx,
    ctx,
    policy,
    'external_id',
    values.map((value) => value.externalId),
  );
  // An upsert creates only when nobody holds its match value; one that matches updates, one by one.
  const creates = candidates.filter((create) => {
    if (!create.upsert) return true;
    const match = attempt(() => matchValue(create.data, matchOn));
    if (match instanceof DomainError) settled.set(create.index, match);
    return !(match instanceof DomainError) && (match.field === 'email' ? emails : externalIds).get(match.value)?.length === 0;
  });
  const setting = await loadCreateSetting(
    tx,
    ctx,
    creates.map((create) => create.data),
  );
  const rows: Array<{ create: Create; row: NewContact }> = [];
  for (const create of creates) {
    const row = attempt(() => newContactOf(ctx, policy, create.data, personalValuesOf(create.data, setting), setting));
    if (row instanceof DomainError) settled.set(create.index, row);
    // A create whose address a contact holds already runs alone, in its turn: an update
    // earlier in the batch may free the address; otherwise the single-record path answers 409.
    else if (request.allowDuplicate || typeof row.personal.email !== 'string' || emails.get(row.personal.email)?.length === 0) rows.push({ create, row });
  }
  // An erased person's address is refused (409 suppressed) item by item: one lookup for all.
  const suppressed = await suppressedEmails(
    tx,
    ctx.tenantId,
    rows.flatMap(({ row }) => (typeof row.personal.email === 'string' ? [row.personal.email] : [])),
  );
  if (suppressed.size > 0) {
    for (const { create, row } of rows) if (suppressed.has(row.personal.email as string)) settled.set(create.index, suppressedError('email'));
    rows.splice(0, rows.length, ...rows.filter(({ create }) => !settled.has(create.index)));
  }
  if (rows.length === 0) return settled;
  await createPermittedContacts(
    tx,
    ctx,
    rows.map(({ row }) => row),
    { fieldName: apiFieldName, policy },
  );
  await recordChanges(
    tx,
    ctx,
    rows.map(({ create, row }) => contactCreated(row.id, create.data)),
  );
  for (const { create, row } of rows) settled.set(create.index, { id: row.id, outcome: 'created' });
  return settled;
}
