import { createHmac, timingSafeEqual } from 'node:crypto';

// Stripe-style signatures: "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>".
// Signing the timestamp with the body lets receivers refuse replays of old deliveries.

export const signatureHeader = 'Candor-Signature';

export function signaturePayload(timestamp: number, body: string): string {
  return `${timestamp}.${body}`;
}

export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(signaturePayload(timestamp, body)).digest('hex');
}

/** The Candor-Signature header value for `body` sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${webhookSignature(secret, timestamp, body)}`;
}

/**
 * For receivers: true when `header` carries a v1 signature of `body` under `secret` and its
 * timestamp is within `toleranceSeconds` of `now`. Several v1 entries are accepted (one
 * per secret while a secret is being rotated). Compares in constant time.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | null | undefined,
  body: string | Buffer,
  toleranceSeconds = 300,
  now: Date = new Date(),
): boolean {
  if (!header) return false;
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && value && /^[0-9a-f]{64}$/i.test(value)) signatures.push(value.toLowerCase());
  }
  if (timestamp === null || signatures.length === 0) return false;
  if (Math.abs(Math.floor(now.getTime() / 1000) - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(webhookSignature(secret, timestamp, typeof body === 'string' ? body : body.toString('utf8')), 'hex');
  let matched = false;
  for (const signature of signatures) {
    // Every candidate is compared, so the time taken does not reveal which one matched.
    if (timingSafeEqual(expected, Buffer.from(signature, 'hex'))) matched = true;
  }
  return matched;
}
