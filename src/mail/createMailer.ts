import type { CandorConfig } from '../config.ts';
import type { Database } from '../db/connection.ts';
import { createDevMailbox } from './devMailbox.ts';
import type { Mailer } from './mailer.ts';
import { createSmtpMailer } from './smtpMailer.ts';

/** SMTP when SMTP_URL is set; otherwise mail is kept in the dev mailbox (shown at /dev/mail in demo mode). */
export function createMailer(config: CandorConfig, database: Database): Mailer {
  if (config.smtpUrl) return createSmtpMailer(config.smtpUrl, config.mailFrom);
  return createDevMailbox(database.db);
}

/** Whether /dev/mail is served: demo mode with no SMTP server, where the mailbox is the only way to read mail. */
export const devMailboxServed = (config: CandorConfig) => config.demo && !config.smtpUrl;
