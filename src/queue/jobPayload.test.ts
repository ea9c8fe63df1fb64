import { describe, expect, it } from 'vitest';
import { assertJobPayload } from './jobPayload.ts';

describe('job payloads', () => {
  it('accept ids, machine keys, numbers and booleans', () => {
    expect(() =>
      assertJobPayload('q', { tenantId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', eventType: 'contact.created', attempt: 2, retry: false, note: null }),
    ).not.toThrow();
  });

  it.each([
    ['an e-mail address', 'maria@example.com'],
    ['a phone number', '+44 20 7946 0000'],
    ['a capitalised name', 'Maria'],
    ['free text', 'called about the renewal'],
  ])('refuse %s without quoting it', (_kind, value) => {
    let message = '';
    try {
      assertJobPayload('q', { value });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('"value"');
    expect(message).not.toContain(value);
  });

  it('refuse nested objects and arrays', () => {
    expect(() => assertJobPayload('q', { nested: { id: 'x' } })).toThrow();
    expect(() => assertJobPayload('q', ['a'])).toThrow();
  });
});
