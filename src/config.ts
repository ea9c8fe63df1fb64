import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type CandorConfig = {
  databaseUrl?: string;
  dataDir: string;
  port: number;
  host: string;
  publicUrl: string;
  smtpUrl?: string;
  mailFrom: string;
  /** Demo mode: seeds the demo workspace and serves the dev mailbox at /dev/mail. */
  demo: boolean;
  /** Demo mode: how many contacts the demo workspace gets (the seed's default when absent). */
  demoContacts?: number;
  logLevel: string;
  /** Lists count (`?count=true`) up to this many rows; beyond it they say "at least". */
  countCap: number;
  /** The built web app Candor serves at / (web/dist, built by `npm ci` and `npm start`). */
  webRoot: string;
  /** How long a double opt-in confirmation link works (CANDOR_DOUBLE_OPT_IN_HOURS, 48 by default). */
  doubleOptInLinkHours: number;
  /**
   * The longest window (issued-at to expires-at) a signed Data Rights Protocol message may
   * have (CANDOR_DRP_MAX_WINDOW_MINUTES, 60 by default: room for agents that sign 15-minute windows).
   */
  drpMaxWindowMinutes: number;
};

const builtWebApp = fileURLToPath(new URL('../web/dist', import.meta.url));

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<CandorConfig> = {}): CandorConfig {
  const port = overrides.port ?? Number(env.PORT ?? 3000);
  const host = overrides.host ?? env.HOST ?? '127.0.0.1';
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.CANDOR_DATA_DIR ?? '.candor'),
    port,
    host,
    publicUrl: env.CANDOR_PUBLIC_URL ?? `http://localhost:${port}`,
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM ?? 'Candor <no-reply@candor.localhost>',
    demo: false,
    logLevel: env.LOG_LEVEL ?? 'info',
    countCap: positiveInteger(env.CANDOR_COUNT_CAP, 'CANDOR_COUNT_CAP') ?? 10_000,
    webRoot: builtWebApp,
    doubleOptInLinkHours: positiveInteger(env.CANDOR_DOUBLE_OPT_IN_HOURS, 'CANDOR_DOUBLE_OPT_IN_HOURS') ?? 48,
    drpMaxWindowMinutes: positiveInteger(env.CANDOR_DRP_MAX_WINDOW_MINUTES, 'CANDOR_DRP_MAX_WINDOW_MINUTES') ?? 60,
    ...overrides,
  };
}

function positiveInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 1) throw new RangeError(`${name} must be a whole number of at least 1`);
  return parsed;
}
