import type { Executor } from '../db/connection.ts';
import { hit, rateLimitKey, rateLimited, refund, reset, type RateLimitResult } from '../platform/rateLimit.ts';

export type ThrottleRule = { scope: string; limit: number; windowMs: number };

const minutes = (count: number) => count * 60_000;

/**
 * The limits on unauthenticated account endpoints. Per-account limits stop guessing one
 * password from many addresses; per-client limits stop one address spraying many accounts.
 * Account keys are built the same way whether or not the account exists, so a 429 reveals
 * nothing about which addresses have accounts.
 */
export const throttleRules = {
  loginPerAccount: { scope: 'login.account', limit: 5, windowMs: minutes(15) },
  loginPerClient: { scope: 'login.client', limit: 30, windowMs: minutes(15) },
  passwordResetPerAccount: { scope: 'password_reset.account', limit: 3, windowMs: minutes(60) },
  passwordResetPerClient: { scope: 'password_reset.client', limit: 10, windowMs: minutes(15) },
  /** Failed invitation acceptances and reset completions (one-time tokens) per client. */
  oneTimeTokenPerClient: { scope: 'one_time_token.client', limit: 10, windowMs: minutes(15) },
} as const satisfies Record<string, ThrottleRule>;

export type Attempt = { rule: ThrottleRule; key: string };

export const accountAttempt = (rule: ThrottleRule, workspaceSlug: string, email: string): Attempt => ({
  rule,
  key: rateLimitKey(rule.scope, workspaceSlug.trim().toLowerCase(), email.trim().toLowerCase()),
});

export const clientAttempt = (rule: ThrottleRule, clientAddress: string): Attempt => ({ rule, key: rateLimitKey(rule.scope, clientAddress) });

/**
 * Counts one attempt against every rule before the work is done (so concurrent guesses
 * cannot slip past a check-then-count gap) and refuses with 429 once any limit is passed.
 */
export async function consumeAttempts(db: Executor, attempts: Attempt[], message: string): Promise<void> {
  let refused: RateLimitResult | null = null;
  for (const attempt of attempts) {
    const result = await hit(db, attempt.key, attempt.rule.limit, attempt.rule.windowMs);
    if (!result.allowed && (!refused || result.retryAfterSeconds > refused.retryAfterSeconds)) refused = result;
  }
  if (refused) throw rateLimited(refused, message);
}

/** Gives back the attempts of a request that succeeded: only failures should count. */
export async function forgiveAttempts(db: Executor, attempts: Attempt[]): Promise<void> {
  for (const attempt of attempts) await refund(db, attempt.key, attempt.rule.windowMs);
}

/** Clears an account's failure count after it proved its password. */
export async function clearAttempts(db: Executor, attempts: Attempt[]): Promise<void> {
  for (const attempt of attempts) await reset(db, attempt.key);
}
