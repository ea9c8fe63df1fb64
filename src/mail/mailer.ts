/**
 * One outgoing message. `headers` are extra header fields (e.g. RFC 8058 List-Unsubscribe and
 * List-Unsubscribe-Post on marketing mail), sent as given; names must not repeat the ones the
 * mailer sets itself (From, To, Subject, Date, Message-ID, MIME headers).
 */
export type OutgoingMail = { to: string; subject: string; text: string; headers?: Readonly<Record<string, string>> };

/** Sends mail through SMTP, or into the dev mailbox when no SMTP server is configured. */
export type Mailer = { send(message: OutgoingMail): Promise<void>; close(): Promise<void> };
