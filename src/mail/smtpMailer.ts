import nodemailer from 'nodemailer';
import type { Mailer } from './mailer.ts';

/** Delivers through the SMTP server named by SMTP_URL (smtp:// or smtps://, credentials in the URL). */
export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(message) {
      await transport.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.headers ? { headers: { ...message.headers } } : {}),
      });
    },
    async close() {
      transport.close();
    },
  };
}
