import { normalizeExternalId } from '../../kernel/index.ts';
import { invalid } from '../../shared/domainError.ts';
import { normalizeEmail } from '../../shared/normalize.ts';
import type { BatchMode } from '../batch/batchRunner.ts';
import type { ContactChangeInput, ContactCreateInput } from './contactInput.ts';

/* What a contact batch (POST /contacts/batch) asks for, and the values its items name. */

export type ContactMatch = 'email' | 'externalId';
export type ContactBatchItem =
  | { op: 'create'; data: ContactCreateInput }
  | { op: 'update'; id: string; version?: number; data: ContactChangeInput }
  | { op: 'upsert'; data: ContactCreateInput };
export type ContactBatchRequest = { mode: BatchMode; matchOn?: ContactMatch; allowDuplicate?: boolean; items: ContactBatchItem[] };

/**
 * The values an item names that other contacts are found by in a batch, normalised: its
 * e-mail address (duplicate check, upserts on email) and, when upserts match on it, its
 * external id. Null where the item has none (or one that does not normalise).
 */
export function namedValues(data: ContactChangeInput, matchOn: ContactMatch | undefined): { email: string | null; externalId: string | null } {
  return {
    email: typeof data.email === 'string' ? normalizeEmail(data.email) : null,
    externalId: matchOn === 'externalId' ? normalizeExternalId(data.externalId) : null,
  };
}

/** The value an upsert matches on, normalised; 422 naming the field when the item lacks it. */
export function matchValue(data: ContactCreateInput, matchOn: ContactMatch): { field: 'email' | 'external_id'; value: string } {
  if (matchOn === 'email') {
    const value = typeof data.email === 'string' ? normalizeEmail(data.email) : null;
    if (!value) throw invalid('email', 'an upsert matched on email needs a valid e-mail address');
    return { field: 'email', value };
  }
  const value = normalizeExternalId(data.externalId);
  if (!value) throw invalid('externalId', 'an upsert matched on externalId needs an external id');
  return { field: 'external_id', value };
}
