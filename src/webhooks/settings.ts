export type WebhookSettings = {
  /** Delay before the second attempt; each later one doubles it, up to retryCapMs. */
  retryBaseMs: number;
  retryCapMs: number;
  /** Attempts in all, the first included; after the last failure a delivery is `failed`. */
  maxAttempts: number;
  /** An attempt that has no response headers after this long fails as a timeout. */
  timeoutMs: number;
  /**
   * Whether receivers may be on loopback, private or link-local addresses. Off by default so
   * a workspace admin cannot make the server probe its own network (SSRF); tests and
   * local development turn it on.
   */
  allowPrivateNetworks: boolean;
};

export const defaultWebhookSettings: WebhookSettings = {
  retryBaseMs: 1_000,
  retryCapMs: 60 * 60 * 1_000,
  maxAttempts: 8,
  timeoutMs: 10_000,
  allowPrivateNetworks: false,
};

function positiveInteger(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return value && Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}

/** CANDOR_WEBHOOK_RETRY_BASE_MS, CANDOR_WEBHOOK_MAX_ATTEMPTS, CANDOR_WEBHOOK_TIMEOUT_MS, CANDOR_WEBHOOK_ALLOW_PRIVATE_NETWORKS=1. */
export function loadWebhookSettings(env: NodeJS.ProcessEnv = process.env, overrides: Partial<WebhookSettings> = {}): WebhookSettings {
  return {
    retryBaseMs: positiveInteger(env.CANDOR_WEBHOOK_RETRY_BASE_MS, defaultWebhookSettings.retryBaseMs),
    retryCapMs: defaultWebhookSettings.retryCapMs,
    maxAttempts: positiveInteger(env.CANDOR_WEBHOOK_MAX_ATTEMPTS, defaultWebhookSettings.maxAttempts),
    timeoutMs: positiveInteger(env.CANDOR_WEBHOOK_TIMEOUT_MS, defaultWebhookSettings.timeoutMs),
    allowPrivateNetworks: env.CANDOR_WEBHOOK_ALLOW_PRIVATE_NETWORKS === '1' || env.CANDOR_WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'true',
    ...overrides,
  };
}

/** Exponential backoff: the wait after failed attempt n (1-based) is base·2^(n−1), capped. */
export function retryDelayMs(failedAttempt: number, settings: Pick<WebhookSettings, 'retryBaseMs' | 'retryCapMs'>): number {
  return Math.min(settings.retryBaseMs * 2 ** Math.max(0, failedAttempt - 1), settings.retryCapMs);
}
