import { expect } from 'vitest';
import { e2eServer } from './e2eServer.ts';

export type Mail = { id: string; to: string; subject: string; text: string };

/** The newest mail to `to` in the demo server's mailbox (/dev/mail.json), or null. */
export async function newestMailTo(to: string): Promise<Mail | null> {
  const mailbox = (await (await fetch(`${e2eServer().url}/dev/mail.json`)).json()) as { data: Mail[] };
  return mailbox.data.find((message) => message.to === to) ?? null;
}

/**
 * The 6-digit code in the newest mail to `to`, once a mail other than `before` (the newest
 * before asking) has come: the mail is sent after the API answers, so it may lag a moment.
 */
export async function mailedCode(to: string, before: Mail | null = null): Promise<string> {
  const fresh = async () => {
    const mail = await newestMailTo(to);
    if (!mail || mail.id === before?.id) return null;
    return /\b(\d{6})\b/.exec(mail.text)?.[1] ?? null;
  };
  await expect.poll(fresh, { timeout: 10_000 }).not.toBeNull();
  const code = await fresh();
  if (code === null) throw new Error(`no code in the newest mail to ${to}`);
  return code;
}
