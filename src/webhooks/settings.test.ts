import { describe, expect, it } from 'vitest';
import { defaultWebhookSettings, loadWebhookSettings, retryDelayMs } from './settings.ts';

describe('webhook retry settings', () => {
  it('back off exponentially from the base delay: 1 s, 2 s, 4 s …', () => {
    expect([1, 2, 3, 4, 7].map((attempt) => retryDelayMs(attempt, defaultWebhookSettings))).toEqual([1_000, 2_000, 4_000, 8_000, 64_000]);
  });

  it('cap the delay', () => {
    expect(retryDelayMs(30, { retryBaseMs: 1_000, retryCapMs: 5_000 })).toBe(5_000);
  });

  it('default to 8 attempts with a 10 s timeout and public receivers only', () => {
    expect(loadWebhookSettings({})).toEqual(defaultWebhookSettings);
    expect(defaultWebhookSettings).toMatchObject({ maxAttempts: 8, timeoutMs: 10_000, allowPrivateNetworks: false });
  });

  it('read a short base delay and private receivers from the environment, ignoring nonsense', () => {
    const settings = loadWebhookSettings({ CANDOR_WEBHOOK_RETRY_BASE_MS: '25', CANDOR_WEBHOOK_ALLOW_PRIVATE_NETWORKS: '1', CANDOR_WEBHOOK_MAX_ATTEMPTS: '-3' });
    expect(settings).toMatchObject({ retryBaseMs: 25, allowPrivateNetworks: true, maxAttempts: 8 });
  });
});
