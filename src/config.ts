import { resolve } from 'node:path';

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
  logLevel: string;
};

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
    ...overrides,
  };
}
