import type { Executor } from '../db/connection.ts';
import type { PurposeContext } from './accessContext.ts';
import { assertFieldsPermitted, contactPolicy, type ContactPolicy, type WriteOptions } from './contactAccess.ts';
import { findContactIdsByLookup, lockContactLookupValues } from './contactLookups.ts';

/*
 * Finding contacts by their e-mail or phone, for the CRM: an exact lookup is a use of that
 * field, so the purpose must be one the field is declared for (403 naming it otherwise),
 * like any read or write of it. The policy is the call's (once per request).
 */

export type LookupField = 'email' | 'phone' | 'external_id';
export type LookupOptions = WriteOptions & { action?: string };

async function lookupPolicy(tx: Executor, ctx: PurposeContext, field: LookupField, options: LookupOptions): Promise<ContactPolicy> {
  const policy = options.policy ?? (await contactPolicy(tx, ctx, options.action ?? 'contact.looked_up'));
  assertFieldsPermitted(policy, [field], options);
  return policy;
}

/**
 * Normalised value → ids of the contacts holding it (normalise with src/shared/normalize.ts
 * first); absent values are absent from the map. The ids name no subject's values, so the
 * subject rules do not filter them: duplicate checks must see a restricted person too.
 */
export async function findPermittedContactIdsByLookup(
  tx: Executor,
  ctx: PurposeContext,
  field: LookupField,
  normalizedValues: string[],
  options: LookupOptions = {},
): Promise<Map<string, string[]>> {
  await lookupPolicy(tx, ctx, field, options);
  return findContactIdsByLookup(tx, ctx, field, normalizedValues);
}

/**
 * Serialises writers that check-then-insert on the same e-mail or phone until the
 * transaction ends (duplicate detection), after the same field check as the lookup.
 */
export async function lockPermittedLookupValues(
  tx: Executor,
  ctx: PurposeContext,
  field: LookupField,
  normalizedValues: string[],
  options: LookupOptions = {},
): Promise<void> {
  await lookupPolicy(tx, ctx, field, options);
  await lockContactLookupValues(tx, ctx, field, normalizedValues);
}
