import { describe, expect, it } from 'vitest';
import { demoConsentHistoryAt, maxDemoConsentEvents } from './consents.ts';
import { DEFAULT_TIMELINE } from './timeline.ts';

const seed = 20_240_601;
const histories = Array.from({ length: 2_000 }, (_, index) => demoConsentHistoryAt(seed, index, DEFAULT_TIMELINE));
const all = histories.flat();

describe('demo consent histories', () => {
  it('are the same for the same seed and contact', () => {
    expect(demoConsentHistoryAt(seed, 17, DEFAULT_TIMELINE)).toEqual(histories[17]);
    expect(demoConsentHistoryAt(seed + 1, 17, DEFAULT_TIMELINE)).not.toEqual(histories[17]);
  });

  it('give every consent purpose people, and have withdrawals, refusals, expiries and GPC opt-outs', () => {
    for (const purposeKey of ['email_marketing', 'web_analytics', 'targeted_advertising', 'third_party_sharing']) {
      expect(all.filter((event) => event.purposeKey === purposeKey && event.state === 'given').length, purposeKey).toBeGreaterThan(50);
    }
    for (const state of ['withdrawn', 'refused', 'expired'] as const)
      expect(
        all.some((event) => event.state === state),
        state,
      ).toBe(true);
    const gpc = all.filter((event) => event.channel === 'gpc');
    expect(gpc.length).toBeGreaterThan(50);
    expect(new Set(gpc.map((event) => event.state))).toEqual(new Set(['opted_out']));
    // Some GPC opt-outs end an opt-in: the privacy officer's conflict list has entries.
    const overriding = histories.filter((history) => {
      const ads = history.filter((event) => event.purposeKey === 'targeted_advertising');
      const optOut = ads.findIndex((event) => event.state === 'opted_out');
      return optOut > 0 && ads[optOut - 1].state === 'given';
    });
    expect(overriding.length).toBeGreaterThan(0);
  });

  it("keep each purpose in time order, within the timeline, and within the seeder's id space", () => {
    for (const history of histories) {
      expect(history.length).toBeLessThanOrEqual(maxDemoConsentEvents);
      for (const purposeKey of new Set(history.map((event) => event.purposeKey))) {
        const times = history.filter((event) => event.purposeKey === purposeKey).map((event) => event.recordedAt.getTime());
        expect(times).toEqual([...times].sort((a, b) => a - b));
        expect(new Set(times).size).toBe(times.length);
      }
      for (const event of history) expect(event.recordedAt.getTime()).toBeLessThanOrEqual(DEFAULT_TIMELINE.end.getTime());
    }
  });
});
