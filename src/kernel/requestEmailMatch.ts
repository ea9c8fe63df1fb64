import { timingSafeEqual } from 'node:crypto';
import type { Executor } from '../db/connection.ts';
import { normalizeEmail } from '../shared/normalize.ts';
import type { PurposeContext } from './accessContext.ts';
import { appendAudit } from './audit.ts';
import { contactBlindIndexKey } from './contactVault.ts';
import { blindToken } from './lookupTokens.ts';
import { openRequestIdentities } from './requestIdentity.ts';

/*
 * Whether an address a person proved (a portal sign-in) is the one a rights request names.
 * The two are compared as their blind indexes (the workspace's e-mail index key, as the CRM's
 * lookups use), inside the kernel: the request's sealed identity is opened here only to index
 * it, and neither address leaves this function — the caller learns true or false. Audited as
 * `rights_request.identity_compared` (the request's id and the outcome, never an address).
 */

export async function requestEmailMatches(tx: Executor, ctx: PurposeContext, requestId: string, email: string): Promise<boolean> {
  const proved = normalizeEmail(email);
  const identity = (await openRequestIdentities(tx, ctx, [requestId])).get(requestId);
  let matches = false;
  if (proved !== null && identity) {
    const key = await contactBlindIndexKey(ctx.tenantId);
    const ours = Buffer.from(blindToken(key, 'email', identity.email));
    const theirs = Buffer.from(blindToken(key, 'email', proved));
    matches = ours.length === theirs.length && timingSafeEqual(ours, theirs);
  }
  await appendAudit(tx, ctx, { action: 'rights_request.identity_compared', object: 'rights_request', recordIds: [requestId], detail: { matches } });
  return matches;
}
