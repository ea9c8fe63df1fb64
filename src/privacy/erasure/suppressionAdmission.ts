import type { Executor } from '../../db/connection.ts';
import { liftSuppression, suppressedEmails, suppressedError, type AccessContext } from '../../kernel/index.ts';

/*
 * An erased person may come back, but only on their own fresh word: a consent they give
 * through a channel they use themselves (a form, the consent widget, the privacy portal, a
 * confirmation link). Staff, the API, imports and signals sent on someone's behalf (GPC,
 * TCF strings) cannot lift a suppression.
 */
export const freshConsentChannels: readonly string[] = ['form', 'widget', 'portal', 'email_link'];

/** What the person said with the address: whether they gave a consent, and through which channel. */
export type FreshConsent = { given: boolean; channel: string };

/**
 * Lets a suppressed address in only with fresh consent, lifting its suppression (audited
 * `suppression.lifted`); refuses it otherwise (409 suppressed naming `field`). An address
 * that is not suppressed passes untouched. One lookup.
 */
export async function admitReturningAddress(tx: Executor, ctx: AccessContext, email: string, fresh: FreshConsent, field: string): Promise<void> {
  if ((await suppressedEmails(tx, ctx.tenantId, [email])).size === 0) return;
  if (!fresh.given || !freshConsentChannels.includes(fresh.channel)) throw suppressedError(field);
  await liftSuppression(tx, ctx, email, fresh.channel);
}
