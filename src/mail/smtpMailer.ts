import nodemailer from 'nodemailer';
import type { Mailer } from './mailer.ts';

/**
 * Delivers through the SMTP server named by SMTP_URL (smtp:// or smtps://, credentials in the
 * URL), over a small pool of kept-open connections: a campaign sends thousands of messages,
 * and a new connection per message cost about a tenth of a second each.
 */
export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport({ url: smtpUrl, pool: true });
  return {
    async send(message) {
      await transport.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        ...(message.headers ? { headers: { ...message.headers } } : {}),
      });
    },
    async close() {
      transport.close();
    },
  };
}
