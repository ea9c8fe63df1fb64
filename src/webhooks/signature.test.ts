import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from './signature.ts';

const secret = 'whsec_test-secret';
const body = '{"id":"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","type":"contact.created"}';
const sentAt = new Date('2026-01-02T03:04:05Z');
const t = Math.floor(sentAt.getTime() / 1000);

describe('webhook signatures', () => {
  it('verify for the body and timestamp they were made for', () => {
    expect(verifyWebhookSignature(secret, signWebhook(secret, body, t), body, 300, sentAt)).toBe(true);
  });

  it('match the documented HMAC-SHA256 over "<t>.<body>"', () => {
    // Computed independently: printf '%s' "1767323045.x" | openssl dgst -sha256 -hmac whsec_test-secret
    expect(signWebhook(secret, 'x', 1767323045)).toBe('t=1767323045,v1=e9e8cf1a993027d501b0646e95cfd0f6e91d72b2e4376f9b6e8297b97b10417a');
  });

  it('fail for a tampered body', () => {
    const header = signWebhook(secret, body, t);
    expect(verifyWebhookSignature(secret, header, body.replace('created', 'deleted'), 300, sentAt)).toBe(false);
  });

  it('fail for another secret', () => {
    expect(verifyWebhookSignature('whsec_other', signWebhook(secret, body, t), body, 300, sentAt)).toBe(false);
  });

  it('fail when the timestamp is older or newer than the tolerance', () => {
    const header = signWebhook(secret, body, t);
    expect(verifyWebhookSignature(secret, header, body, 300, new Date(sentAt.getTime() + 301_000))).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, 300, new Date(sentAt.getTime() - 301_000))).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, 300, new Date(sentAt.getTime() + 299_000))).toBe(true);
  });

  it('fail when the timestamp was changed after signing', () => {
    const header = signWebhook(secret, body, t).replace(`t=${t}`, `t=${t + 1}`);
    expect(verifyWebhookSignature(secret, header, body, 300, sentAt)).toBe(false);
  });

  it('accept any of several v1 signatures and refuse malformed headers', () => {
    const valid = signWebhook(secret, body, t).split(',')[1];
    expect(verifyWebhookSignature(secret, `t=${t},v1=${'0'.repeat(64)},${valid}`, body, 300, sentAt)).toBe(true);
    for (const header of ['', 'garbage', `t=${t}`, `v1=${'a'.repeat(64)}`, `t=abc,${valid}`, `t=${t},v1=short`]) {
      expect(verifyWebhookSignature(secret, header, body, 300, sentAt)).toBe(false);
    }
  });
});
