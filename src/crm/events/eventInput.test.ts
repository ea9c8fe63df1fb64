import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventInputSchema, maxReportedItemErrors, validateEvent, validateEventBatch } from './eventInput.ts';

const now = Date.parse('2025-06-01T12:00:00Z');
const contactId = '01890a5d-ac96-774b-bcce-b302099a8057';

describe('event validation', () => {
  it('normalises occurredAt to UTC and defaults properties to {}', () => {
    const result = validateEvent({ type: 'click', occurredAt: '2025-06-01T13:00:00+02:00', contactId }, '', 0, now);
    expect(result).toEqual({ event: { type: 'click', occurredAt: '2025-06-01T11:00:00.000Z', contactId, anonymousId: null, properties: {} } });
  });

  it('requires exactly one of contactId and anonymousId', () => {
    const neither = validateEvent({ type: 'click', occurredAt: '2025-06-01T10:00:00Z' }, 'events[3]', 3, now);
    const both = validateEvent({ type: 'click', occurredAt: '2025-06-01T10:00:00Z', contactId, anonymousId: 'a' }, 'events[3]', 3, now);
    expect(neither).toEqual({ issues: [{ index: 3, field: 'events[3].contactId', reason: expect.stringContaining('exactly one') }] });
    expect(both).toEqual(neither);
  });

  it('refuses events more than a day in the future', () => {
    const result = validateEvent({ type: 'page_view', occurredAt: '2025-06-03T12:00:00Z', anonymousId: 'a' }, '', 0, now);
    expect(result).toEqual({ issues: [{ index: 0, field: 'occurredAt', reason: 'more than a day in the future' }] });
  });

  it('refuses nested property values and names the property', () => {
    const result = validateEvent(
      { type: 'page_view', occurredAt: '2025-06-01T10:00:00Z', anonymousId: 'a', properties: { url: { href: 'x' } } },
      'events[0]',
      0,
      now,
    );
    expect('issues' in result && result.issues.map((issue) => issue.field)).toEqual(['events[0].properties.url']);
  });

  it('never echoes a property key that is not a property name (it may be a personal value)', () => {
    const result = validateEvent(
      { type: 'page_view', occurredAt: '2025-06-01T10:00:00Z', anonymousId: 'a', properties: { 'jane@example.com': 1 } },
      '',
      0,
      now,
    );
    expect(JSON.stringify(result)).not.toContain('jane');
    expect('issues' in result && result.issues[0].field).toBe('properties');
  });

  it('checks every item of a batch and caps the listed issues', () => {
    const events = Array.from({ length: 300 }, (_, index) => ({ type: index % 2 ? 'nope' : 'click', occurredAt: '2025-06-01T10:00:00Z', contactId }));
    const result = validateEventBatch({ events }, now);
    expect(result.valid).toHaveLength(150);
    expect(result.invalidItems).toBe(150);
    expect(result.issues).toHaveLength(maxReportedItemErrors);
    expect(result.issues[0]).toMatchObject({ index: 1, field: 'events[1].type' });
  });

  it('refuses a body that is not a batch', () => {
    expect(() => validateEventBatch({ events: [] }, now)).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ field: 'events' })] }));
    expect(() => validateEventBatch([], now)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });
});

describe('the documented schema and the hand-written validator', () => {
  const oneOf = <T>(options: T[]) => fc.constantFrom(...options);
  const manyProperties = Object.fromEntries(Array.from({ length: 21 }, (_, index) => [`p${index}`, index]));
  const item = fc.record(
    {
      type: oneOf<unknown>(['page_view', 'email_open', 'click', 'form_submit', 'teleport', 5, null]),
      occurredAt: oneOf<unknown>([
        '2025-05-31T10:00:00Z',
        '2025-05-31T10:00:00.123456+02:00',
        '2024-02-29T00:00:00Z',
        '2025-02-29T00:00:00Z',
        '2025-05-31T10:00Z',
        '2025-05-31 10:00:00Z',
        'soon',
        1717000000,
      ]),
      contactId: oneOf<unknown>([contactId, 'not-a-uuid', 42]),
      anonymousId: oneOf<unknown>(['cookie-1', '', 'x'.repeat(201), 'x'.repeat(200), 'nul\u0000', false]),
      properties: oneOf<unknown>([
        {},
        { url: 'https://a.example', n: 1.5, ok: true },
        { 'bad key': 1 },
        { url: { nested: 1 } },
        { url: 'x'.repeat(2049) },
        { url: 'nul\u0000' },
        manyProperties,
        [],
        'flat',
        null,
      ]),
      extra: oneOf<unknown>([1]),
    },
    { requiredKeys: [] },
  );

  it('accept and refuse the same events', () => {
    fc.assert(
      fc.property(item, (candidate) => {
        const documented = eventInputSchema.safeParse(candidate).success && 'contactId' in candidate !== 'anonymousId' in candidate;
        const validated = 'event' in validateEvent(candidate, '', 0, now);
        expect(validated).toBe(documented);
      }),
      { numRuns: 2000 },
    );
  });
});
