import type { Transaction } from '../../db/connection.ts';
import { DomainError, type FieldIssue } from '../../shared/domainError.ts';

/*
 * Runs the items of a batch request (POST /contacts/batch, /companies/batch) through the
 * same service functions as the single-record routes, in the caller's one transaction:
 *
 * - `atomic`: the first item that fails fails the request; its error is re-thrown with the
 *   item's index in the message, the detail (`index`) and every field name
 *   (`items.3.data.email`), and the caller's transaction rolls back, so nothing is written.
 * - `perItem`: each item runs in its own savepoint; a failing item is rolled back to it and
 *   reported with its error, the others are written.
 *
 * Errors that are not domain errors (a broken connection, a bug) fail the whole request in
 * both modes: an item is only "refused" for a reason the client can act on. A service may
 * settle some items set-wise first (contactBatchCreates.ts); runBatch then answers them in
 * their place.
 */

export const maxBatchItems = 1_000;
export type BatchMode = 'atomic' | 'perItem';

/** What an item did: created or updated the record with this id. */
export type ItemOutcome = { id: string; outcome: 'created' | 'updated' };
export type ItemResult = { index: number; ok: true; id: string; outcome: 'created' | 'updated' } | { index: number; ok: false; error: DomainError };

/** Where an item's field is in the request body: top-level item keys stay, values are under `data`. */
export function itemFieldPath(index: number, field: string): string {
  return ['id', 'version', 'op'].includes(field) ? `items.${index}.${field}` : `items.${index}.data.${field}`;
}

/** The error of one item, restated with its index and the full paths of its fields. */
export function itemError(index: number, error: DomainError): DomainError {
  const issues: FieldIssue[] = error.issues.map((issue) => ({ field: itemFieldPath(index, issue.field), reason: issue.reason }));
  return new DomainError(error.code, `Item ${index}: ${error.message}`, issues, { ...error.detail, index });
}

/**
 * Refuses a whole batch before anything runs when some items carry fields the request may
 * not write (the purpose's 403, in both modes: it is the integration's mapping that is wrong,
 * not one record). `check` throws the single-record error for one item.
 */
export function refuseForbiddenItems<Item>(items: readonly Item[], check: (item: Item) => void): void {
  const issues: FieldIssue[] = [];
  let first: DomainError | null = null;
  items.forEach((item, index) => {
    try {
      check(item);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      // Other refusals (an undeclared field) are the item's own, reported when it runs.
      if (error.code !== 'forbidden') return;
      first ??= error;
      issues.push(...itemError(index, error).issues);
    }
  });
  if (first) throw new DomainError('forbidden', (first as DomainError).message, issues);
}

/** What a batch settled for some items before running the others: their outcome, or why they were refused. */
export type SettledItems = ReadonlyMap<number, ItemOutcome | DomainError>;

/**
 * Runs the items in order, each through `apply`, except those already `settled` (set-wise
 * work done before): those answer their outcome, or fail like an item that threw that error
 * — in atomic mode when the run reaches them, so the request fails with the first refused
 * item in the request's order either way.
 */
export async function runBatch<Item>(
  tx: Transaction,
  mode: BatchMode,
  items: readonly Item[],
  apply: (tx: Transaction, item: Item, index: number) => Promise<ItemOutcome>,
  settled: SettledItems = new Map(),
): Promise<ItemResult[]> {
  const results: ItemResult[] = [];
  for (const [index, item] of items.entries()) {
    const done = settled.get(index);
    if (mode === 'atomic') {
      try {
        if (done instanceof DomainError) throw done;
        results.push({ index, ok: true, ...(done ?? (await apply(tx, item, index))) });
      } catch (error) {
        throw error instanceof DomainError ? itemError(index, error) : error;
      }
      continue;
    }
    try {
      if (done instanceof DomainError) throw done;
      const outcome = done ?? (await tx.transaction((savepoint) => apply(savepoint, item, index)));
      results.push({ index, ok: true, ...outcome });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      results.push({ index, ok: false, error: itemError(index, error) });
    }
  }
  return results;
}
