import type { FastifyBaseLogger } from 'fastify';
import { doubleOptInMail } from '../mail/templates.ts';
import type { DoubleOptInOutcome, DoubleOptInSettings } from '../privacy/doubleOptIn.ts';
import type { AppDependencies } from './dependencies.ts';

/** The double opt-in settings of the server's configuration (CANDOR_DOUBLE_OPT_IN_HOURS). */
export const doubleOptInSettings = (deps: AppDependencies): DoubleOptInSettings => ({ lifetimeMs: deps.config.doubleOptInLinkHours * 60 * 60 * 1000 });

/**
 * Mails the confirmation link of a double opt-in requested by requestDoubleOptIn. Call it
 * after the transaction that stored the request committed. Never rejects: a failure is
 * logged by its error's name only (the message could hold the address), and the person can
 * be asked again.
 */
export async function deliverDoubleOptIn(deps: AppDependencies, outcome: DoubleOptInOutcome, log: FastifyBaseLogger): Promise<void> {
  if (outcome.status !== 'pending') return;
  const mail = doubleOptInMail({
    to: outcome.recipient,
    workspaceName: outcome.workspaceName,
    purposeDescription: outcome.purposeDescription,
    publicUrl: deps.config.publicUrl,
    token: outcome.token,
    expiresAt: outcome.expiresAt,
  });
  try {
    await deps.mailer.send(mail);
  } catch (error) {
    log.error({ errorName: error instanceof Error ? error.name : 'unknown' }, 'double opt-in mail could not be sent');
  }
}
