import { sql } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { selectRows } from '../db/rows.ts';
import type { PurposeContext } from './accessContext.ts';
import { appendAudit } from './audit.ts';
import { requestEmailIndex } from './requestIdentity.ts';

/*
 * Whether an address a person proved (a portal sign-in) is the one a rights request names.
 * The two are compared as their blind indexes (the workspace's e-mail index key, as the CRM's
 * lookups use): the proved address's against the one stored with the request when its
 * identity was sealed, so no identity is opened and neither address leaves this function —
 * the caller learns true or false. A request whose identity was shredded matches nobody.
 * Audited as `rights_request.identity_compared` (the request's id and the outcome, never an
 * address).
 */

export async function requestEmailMatches(tx: Executor, ctx: PurposeContext, requestId: string, email: string): Promise<boolean> {
  const proved = await requestEmailIndex(tx, ctx, email);
  const [row] =
    proved === null
      ? []
      : await selectRows<{ matches: boolean }>(
          tx,
          sql`select requester_email_index = ${proved} as matches from rights_requests where tenant_id = ${ctx.tenantId} and id = ${requestId}`,
        );
  const matches = row?.matches === true;
  await appendAudit(tx, ctx, { action: 'rights_request.identity_compared', object: 'rights_request', recordIds: [requestId], detail: { matches } });
  return matches;
}
