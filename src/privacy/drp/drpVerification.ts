import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { selectRows } from '../../db/rows.ts';

/*
 * The `user_verification_url` of an agent's request that needs the person (§3.02.1): the
 * privacy portal's page for it, `{public URL}/portal/{workspace}/requests/{DRP request id}/verify`.
 * It carries no secret and nothing about the person — only the request's id, which the agent
 * holds anyway (it appends `request_id` and `redirect_to`, which the page checks). The person
 * signs in there by a code mailed to their address as usual, and sees and verifies the request
 * only when that address is the one the request names (routes/portalAgentRequests.ts).
 */

export function userVerificationUrl(publicUrl: string, workspaceSlug: string, drpRequestId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/portal/${encodeURIComponent(workspaceSlug)}/requests/${drpRequestId}/verify`;
}

/** The URL for a request of the workspace `tenantId` (its slug read here). */
export async function userVerificationUrlOf(executor: Executor, publicUrl: string, tenantId: string, drpRequestId: string): Promise<string> {
  const [row] = await selectRows<{ slug: string }>(executor, sql`select slug from workspaces where id = ${tenantId}`);
  return userVerificationUrl(publicUrl, row?.slug ?? '', drpRequestId);
}
