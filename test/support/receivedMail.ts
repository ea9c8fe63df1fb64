import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

// A message as an in-process SMTP server (smtp-server) received it, parsed for assertions.

export type ReceivedMail = { from: string; to: string[]; headers: Record<string, string>; text: string };

/** Just enough RFC 5322 / MIME for nodemailer's single-part text messages. */
export function parseMessage(raw: string, envelope: { from: string; to: string[] }): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of raw
    .slice(0, split)
    .replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = raw.slice(split + 4);
  const encoding = headers['content-transfer-encoding']?.toLowerCase();
  let text = body;
  if (encoding === 'quoted-printable') {
    text = Buffer.from(
      body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    ).toString('utf8');
  } else if (encoding === 'base64') {
    text = Buffer.from(body, 'base64').toString('utf8');
  }
  return { ...envelope, headers, text: text.replace(/\r\n/g, '\n') };
}

/** An SMTP server on 127.0.0.1 that keeps every message it receives, parsed. */
export function testSmtpServer() {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        received.push(parseMessage(Buffer.concat(chunks).toString('utf8'), { from, to: session.envelope.rcptTo.map((rcpt) => rcpt.address) }));
        callback();
      });
    },
  });
  return {
    received,
    /** Starts listening on a free port and returns it. */
    async listen(): Promise<number> {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return (server.server.address() as AddressInfo).port;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
