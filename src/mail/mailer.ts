export type OutgoingMail = { to: string; subject: string; text: string };

/** Sends mail through SMTP, or into the dev mailbox when no SMTP server is configured. */
export type Mailer = { send(message: OutgoingMail): Promise<void>; close(): Promise<void> };
