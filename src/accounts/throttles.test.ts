import { describe, expect, it } from 'vitest';
import { delayAfter } from '../platform/backoff.ts';
import { loginBackoffRules } from './throttles.ts';

const waitsInSeconds = (rule: Parameters<typeof delayAfter>[0], failures: number[]) => failures.map((count) => delayAfter(rule, count) / 1000);

describe('the login back-off rules', () => {
  it('let one address try 5 times, then wait 30 s, doubling to at most 15 minutes', () => {
    expect(waitsInSeconds(loginBackoffRules.perAccountClient, [4, 5, 6, 7, 8, 9, 10, 50])).toEqual([0, 30, 60, 120, 240, 480, 900, 900]);
  });

  it('let an account be tried 20 times from any addresses, then wait 1 minute, doubling to at most 15 minutes', () => {
    expect(waitsInSeconds(loginBackoffRules.perAccount, [19, 20, 21, 23, 24, 50])).toEqual([0, 60, 120, 480, 900, 900]);
  });

  it('never refuse for longer than the README promises, nor forget failures before the longest wait is over', () => {
    for (const rule of Object.values(loginBackoffRules)) {
      expect(rule.maxDelayMs).toBeLessThanOrEqual(15 * 60_000);
      expect(rule.forgetAfterMs).toBeGreaterThan(rule.maxDelayMs);
    }
  });
});
