import type { Executor } from '../db/connection.ts';
import { verifyFormKey, type FormKey } from './formKeys.ts';

/*
 * The form-key lookup of the public collection routes, remembered for one second per
 * presented key: a consent widget's page views and choices arrive in bursts under one key,
 * and each lookup was a statement of every request. Rotating or revoking a key forgets them
 * all (forgetFormKeys, called after the change commits), so in this process the old key is
 * refused at once, as before; another Candor process sharing the database refuses it within
 * the second. Keys are workspace configuration, no personal data; a key not found (or not
 * live) is not remembered, so a key just created works at once.
 */

const memoMs = 1_000;
type Remembered = { key: FormKey & { tenantId: string }; until: number; generation: number };
const byDatabase = new WeakMap<object, Map<string, Remembered>>();
// Raised by every forget: what was remembered, or looked up, before it no longer counts.
let generation = 0;

/** verifyFormKey, answered from the last second's lookups of the same key on the same database when it can be. */
export async function rememberedFormKey(db: Executor, presented: string): Promise<(FormKey & { tenantId: string }) | null> {
  const started = { at: Date.now(), generation };
  const memo = byDatabase.get(db) ?? new Map<string, Remembered>();
  byDatabase.set(db, memo);
  const known = memo.get(presented);
  if (known && known.until > started.at && known.generation === generation) return known.key;
  memo.delete(presented);
  const key = await verifyFormKey(db, presented);
  if (key && started.generation === generation) memo.set(presented, { key, until: started.at + memoMs, generation });
  return key;
}

/** Forgets every remembered key: one was rotated or revoked (call it once the change has committed). */
export function forgetFormKeys(): void {
  generation += 1;
}
