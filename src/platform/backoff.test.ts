import { describe, expect, it } from 'vitest';
import { delayAfter, type BackoffRule } from './backoff.ts';

const rule: BackoffRule = { scope: 'test.backoff', freeFailures: 5, firstDelayMs: 30_000, maxDelayMs: 900_000, forgetAfterMs: 86_400_000 };

describe('the back-off delay', () => {
  it('costs nothing for the free failures, then doubles from the first delay', () => {
    expect([0, 1, 4].map((failures) => delayAfter(rule, failures))).toEqual([0, 0, 0]);
    expect([5, 6, 7, 8, 9].map((failures) => delayAfter(rule, failures))).toEqual([30_000, 60_000, 120_000, 240_000, 480_000]);
  });

  it('never waits longer than the cap, however many failures', () => {
    expect(delayAfter(rule, 10)).toBe(900_000);
    expect(delayAfter(rule, 1_000_000)).toBe(900_000);
  });
});
