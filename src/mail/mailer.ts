/**
 * One outgoing message. `headers` are extra header fields (e.g. RFC 8058 List-Unsubscribe and
 * List-Unsubscribe-Post on marketing mail), sent as given; names must not repeat the ones the
 * mailer sets itself (From, To, Subject, Date, Message-ID, MIME headers). With `html` the
 * message is multipart/alternative (the text part first); the dev mailbox keeps the text only.
 */
export type OutgoingMail = { to: string; subject: string; text: string; html?: string; headers?: Readonly<Record<string, string>> };

/** Sends mail through SMTP, or into the dev mailbox when no SMTP server is configured. */
export type Mailer = { send(message: OutgoingMail): Promise<void>; close(): Promise<void> };
