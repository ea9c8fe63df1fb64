import type { CandorConfig } from '../config.ts';
import type { Database } from '../db/connection.ts';
import { createDevMailbox } from './devMailbox.ts';
import type { Mailer } from './mailer.ts';

export function createMailer(config: CandorConfig, database: Database): Mailer {
  // SMTP delivery arrives with the mail work; until then every message goes to the dev mailbox.
  return createDevMailbox(database.db);
}
