import type { Executor } from '../db/connection.ts';
import { claimBackoffAttempt, forgetKeyGroup, type BackoffRule } from '../platform/backoff.ts';
import { hit, mark, memberKey, peek, rateLimitKey, rateLimited, refund, reset, type RateLimitResult } from '../platform/rateLimit.ts';
import { normalizeEmail } from '../shared/normalize.ts';
import { normalizeLoginEmail } from './users.ts';

export type ThrottleRule = { scope: string; limit: number; windowMs: number };

const minutes = (count: number) => count * 60_000;

/**
 * The fixed-window limits on unauthenticated account endpoints. Per-account limits stop
 * guessing from many addresses; per-client limits stop one address spraying many accounts.
 * Account keys are built the same way whether or not the account exists, so a 429 reveals
 * nothing about which addresses have accounts.
 */
export const throttleRules = {
  loginPerClient: { scope: 'login.client', limit: 30, windowMs: minutes(15) },
  passwordResetPerAccount: { scope: 'password_reset.account', limit: 3, windowMs: minutes(60) },
  passwordResetPerClient: { scope: 'password_reset.client', limit: 10, windowMs: minutes(15) },
  /** Failed invitation acceptances and reset completions (one-time tokens) per client. */
  oneTimeTokenPerClient: { scope: 'one_time_token.client', limit: 10, windowMs: minutes(15) },
  /**
   * Failed uses of e-mail links (double opt-in, unsubscribe) per client. Failures only:
   * a mail provider posts many people's one-click unsubscribes from the same addresses.
   */
  emailLinkPerClient: { scope: 'email_link.client', limit: 30, windowMs: minutes(15) },
  /**
   * Rights requests made through the portal: per requester (the address, hashed, whether or
   * not anyone holds it, so a 429 says nothing about who is a customer) and per client.
   */
  rightsRequestPerIdentity: { scope: 'rights_request.identity', limit: 3, windowMs: minutes(60) },
  rightsRequestPerClient: { scope: 'rights_request.client', limit: 10, windowMs: minutes(15) },
  /** New codes asked for one rights request (each mails its requester). */
  rightsRequestResendPerRequest: { scope: 'rights_request.resend', limit: 3, windowMs: minutes(60) },
  /** Wrong verification codes and links of rights requests per client (each request also locks after 5). */
  rightsRequestVerificationPerClient: { scope: 'rights_request_verification.client', limit: 20, windowMs: minutes(15) },
  /**
   * Failed Data Rights Protocol calls per client (a bad signature, an unknown token, an expired
   * or replayed message…): each costs a key lookup and a signature check before it is refused.
   */
  drpCallPerClient: { scope: 'drp_call.client', limit: 50, windowMs: minutes(15) },
  /**
   * Sign-ins to the customer privacy portal: per address (hashed, whether or not anyone holds
   * it) and per client; wrong codes per client (each sign-in also locks after 5).
   */
  portalSignInPerIdentity: { scope: 'portal_sign_in.identity', limit: 5, windowMs: minutes(60) },
  portalSignInPerClient: { scope: 'portal_sign_in.client', limit: 10, windowMs: minutes(15) },
  portalVerificationPerClient: { scope: 'portal_verification.client', limit: 20, windowMs: minutes(15) },
  /** Access exports a person asks for through the portal (each reads and seals everything held on them). */
  portalExportPerIdentity: { scope: 'portal_export.identity', limit: 3, windowMs: minutes(60) },
  /** Uses of one unsubscribe link (each is idempotent; this bounds the work one link can cause). */
  unsubscribePerLink: { scope: 'unsubscribe.link', limit: 20, windowMs: minutes(60) },
  /** Access-export downloads per client, used or refused (a link works once; this bounds guessing). */
  accessExportDownloadPerClient: { scope: 'access_export.client', limit: 20, windowMs: minutes(15) },
} as const satisfies Record<string, ThrottleRule>;

/**
 * Failed logins slow the next try down instead of locking the account: whoever waits out
 * Retry-After gets one more try, so the right password always gets in eventually (and at
 * once after an admin unlock). One client on one account is slowed early; the account as a
 * whole (guesses from many addresses) later, except from an address the account logged in
 * from lately (`knownLoginAddress`), so guesses from elsewhere cannot hold its owner out.
 * Both back-off keys share the account's group key, so an unlock clears them together.
 */
export const loginBackoffRules = {
  perAccountClient: { scope: 'login.account', freeFailures: 5, firstDelayMs: 30_000, maxDelayMs: minutes(15), forgetAfterMs: minutes(24 * 60) },
  perAccount: { scope: 'login.account', freeFailures: 20, firstDelayMs: minutes(1), maxDelayMs: minutes(15), forgetAfterMs: minutes(24 * 60) },
} as const satisfies Record<string, BackoffRule>;

/** An address the account logged in from within this time skips the account-wide back-off. */
export const knownLoginAddress = { scope: 'login.known_address', forgetAfterMs: minutes(30 * 24 * 60) } as const;

export type Attempt = { rule: ThrottleRule; key: string };

/**
 * One account's key in a scope (hashed: no e-mail address reaches the table), by the address
 * as mail is sent to it (normalizeEmail: no mailto: prefix, one Unicode form), so one address
 * written several ways is still one key.
 */
const accountKey = (scope: string, workspaceSlug: string, email: string) =>
  rateLimitKey(scope, workspaceSlug.trim().toLowerCase(), normalizeEmail(email) ?? normalizeLoginEmail(email));

export const accountAttempt = (rule: ThrottleRule, workspaceSlug: string, email: string): Attempt => ({
  rule,
  key: accountKey(rule.scope, workspaceSlug, email),
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
export async function forgiveAttempts(db: Executor, attempts: Attempt[], now = new Date()): Promise<void> {
  for (const attempt of attempts) await refund(db, attempt.key, attempt.rule.windowMs, now);
}

export type LoginAttempt = { workspace: string; email: string; clientAddress: string };

/** The group key of one account's login back-offs. */
const loginAccountKey = (workspaceSlug: string, email: string) => accountKey(loginBackoffRules.perAccount.scope, workspaceSlug, email);

function loginKeys(attempt: LoginAttempt) {
  const account = loginAccountKey(attempt.workspace, attempt.email);
  const knownAddresses = accountKey(knownLoginAddress.scope, attempt.workspace, attempt.email);
  return {
    account,
    accountClient: memberKey(account, attempt.clientAddress),
    knownAddress: memberKey(knownAddresses, attempt.clientAddress),
    client: clientAttempt(throttleRules.loginPerClient, attempt.clientAddress),
  };
}

/**
 * Claims one login attempt before the password is checked, counting it as a failure in
 * advance. Refused with 429 (Retry-After: the longest wait) while the account's back-off for
 * this client, the account's back-off as a whole (unless the address is known), or this
 * client's cap across accounts runs; a refused attempt counts against nothing (the
 * transaction rolls back).
 */
export async function consumeLoginAttempt(db: Executor, attempt: LoginAttempt, now: Date): Promise<void> {
  const keys = loginKeys(attempt);
  await db.transaction(async (tx) => {
    const known = (await peek(tx, keys.knownAddress, 1, knownLoginAddress.forgetAfterMs, now)).count > 0;
    const backoffs: Array<readonly [string, BackoffRule]> = [[keys.accountClient, loginBackoffRules.perAccountClient]];
    if (!known) backoffs.push([keys.account, loginBackoffRules.perAccount]);
    const waits: number[] = [];
    for (const [key, rule] of backoffs) {
      const claim = await claimBackoffAttempt(tx, key, rule, now);
      if (!claim.allowed) waits.push(claim.retryAfterSeconds);
    }
    const client = await hit(tx, keys.client.key, keys.client.rule.limit, keys.client.rule.windowMs, now);
    if (!client.allowed) waits.push(client.retryAfterSeconds);
    if (waits.length > 0) {
      throw rateLimited(
        { retryAfterSeconds: Math.max(...waits) },
        'Too many failed logins: try again after Retry-After seconds, or ask an admin to unlock the account.',
      );
    }
  });
}

/**
 * After the right password: the account's failures are cleared, the client gets its attempt
 * back, and the address becomes known to the account.
 */
export async function clearLoginFailures(db: Executor, attempt: LoginAttempt, now: Date): Promise<void> {
  const keys = loginKeys(attempt);
  await reset(db, keys.accountClient);
  await reset(db, keys.account);
  await forgiveAttempts(db, [keys.client], now);
  await mark(db, keys.knownAddress, now);
}

/** Forgets every failed login on an account, from every client: the admin unlock. */
export async function forgetLoginFailures(db: Executor, workspaceSlug: string, email: string): Promise<void> {
  await forgetKeyGroup(db, loginAccountKey(workspaceSlug, email));
}
