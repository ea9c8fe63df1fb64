import type { Executor } from '../../db/connection.ts';
import type { AccessContext } from '../../kernel/index.ts';
import { mergeCustomValues, validateCustomValues } from '../customFields/values.ts';

/**
 * A deal's custom values after a change: each value must fit the workspace's deal custom
 * field of that key (422 naming customFields.<key>); keys merge into the current values
 * and null removes one.
 */
export async function validateDealCustomFields(
  tx: Executor,
  ctx: AccessContext,
  current: Record<string, unknown>,
  change: Record<string, unknown> | undefined,
): Promise<Record<string, unknown>> {
  if (change === undefined) return current;
  return mergeCustomValues(current, await validateCustomValues(tx, ctx, 'deal', change));
}
