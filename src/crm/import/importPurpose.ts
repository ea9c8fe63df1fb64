import type { AccessContext, PurposeContext } from '../../kernel/index.ts';

/**
 * The context an import reads and writes contacts under. An import collects contacts for
 * the purpose its request names; a request naming none (an admin's CLI run, an API key
 * without a default purpose) imports them for sales, the purpose CRM contacts are
 * collected for. The actor stays the requester, so the audit trail names who imported.
 */
export function importContext(ctx: AccessContext): PurposeContext {
  return ctx.purpose ? (ctx as PurposeContext) : { ...ctx, purpose: 'sales' };
}
