import { desc } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { newId } from '../db/ids.ts';
import { devMailbox } from '../db/schema/index.ts';
import type { Mailer } from './mailer.ts';

/** Keeps outgoing mail in the database for /dev/mail; used only when no SMTP_URL is set. */
export function createDevMailbox(db: Executor): Mailer {
  return {
    async send(message) {
      await db.insert(devMailbox).values({ id: newId(), recipient: message.to, subject: message.subject, textBody: message.text });
    },
    async close() {},
  };
}

export async function listDevMail(db: Executor, limit = 50) {
  return db.select().from(devMailbox).orderBy(desc(devMailbox.createdAt)).limit(limit);
}
