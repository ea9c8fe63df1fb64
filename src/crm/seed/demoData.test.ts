import { describe, expect, it } from 'vitest';
import {
  companyCountFor,
  DEFAULT_TIMELINE,
  demoActivities,
  demoCompanies,
  demoContacts,
  demoDeals,
  demoEvents,
  demoPurchases,
  demoSizeFor,
  type DemoTimeline,
} from './demoData.ts';

const SEED = 20_240_601;
const size = demoSizeFor(2_000);

function all<T>(generator: Iterable<T>): T[] {
  return Array.from(generator);
}

function take<T>(generator: Iterable<T>, n: number): T[] {
  const out: T[] = [];
  for (const item of generator) {
    if (out.length === n) break;
    out.push(item);
  }
  return out;
}

const streams: Record<string, (seed: number) => Iterable<unknown>> = {
  companies: (seed: number) => demoCompanies(seed, size.companies),
  contacts: (seed: number) => demoContacts(seed, size.contacts, size.companies),
  deals: (seed: number) => demoDeals(seed, size.deals, size.companies, size.contacts),
  activities: (seed: number) => demoActivities(seed, size.activities, size.companies, size.contacts, size.deals),
  purchases: (seed: number) => demoPurchases(seed, size.purchases, size.companies, size.contacts),
  events: (seed: number) => demoEvents(seed, size.events, size.contacts),
};

describe('demo data streams', () => {
  for (const [name, stream] of Object.entries(streams)) {
    it(`yields identical ${name} for the same seed`, () => {
      expect(all(stream(SEED))).toEqual(all(stream(SEED)));
    });

    it(`yields different ${name} for a different seed`, () => {
      expect(take(stream(SEED), 50)).not.toEqual(take(stream(SEED + 1), 50));
    });
  }

  it('yields exactly the requested number of records', () => {
    expect(all(streams.companies(SEED))).toHaveLength(size.companies);
    expect(all(streams.contacts(SEED))).toHaveLength(size.contacts);
    expect(all(streams.deals(SEED))).toHaveLength(size.deals);
    expect(all(streams.activities(SEED))).toHaveLength(size.activities);
    expect(all(streams.purchases(SEED))).toHaveLength(size.purchases);
    expect(all(streams.events(SEED))).toHaveLength(size.events);
    expect(all(demoContacts(SEED, 0, 5))).toEqual([]);
  });

  it('generates lazily, so a huge count costs nothing until records are pulled', () => {
    const started = performance.now();
    const first = take(demoContacts(SEED, 1_000_000_000, 125_000_000), 3);
    expect(first.map((contact) => contact.key)).toEqual(['contact-0', 'contact-1', 'contact-2']);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('keeps the first records stable when the requested count grows', () => {
    expect(take(demoContacts(SEED, 10_000, 50), 20)).toEqual(all(demoContacts(SEED, 20, 50)));
  });

  it('places every timestamp inside a custom timeline window', () => {
    const timeline: DemoTimeline = { end: new Date('2020-06-30T00:00:00Z'), days: 90 };
    const start = timeline.end.getTime() - 90 * 86_400_000;
    for (const contact of demoContacts(SEED, 500, 50, timeline)) {
      expect(contact.createdAt.getTime()).toBeGreaterThanOrEqual(start);
      expect(contact.createdAt.getTime()).toBeLessThanOrEqual(timeline.end.getTime());
    }
    for (const activity of demoActivities(SEED, 500, 50, 500, 20, timeline)) {
      expect(activity.occurredAt.getTime()).toBeLessThanOrEqual(timeline.end.getTime());
    }
  });

  it('defaults to a fixed window instead of the wall clock, keeping output reproducible', () => {
    expect(DEFAULT_TIMELINE.end.toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });

  it('rejects counts that are negative, fractional or unsafe', () => {
    expect(() => take(demoContacts(SEED, -1, 5), 1)).toThrow(RangeError);
    expect(() => take(demoCompanies(SEED, 1.5), 1)).toThrow(RangeError);
    expect(() => take(demoDeals(SEED, 1, 0, 10), 1)).toThrow(RangeError);
    expect(() => take(demoPurchases(SEED, 1, 5, 0), 1)).toThrow(RangeError);
    expect(() => companyCountFor(Number.NaN)).toThrow(RangeError);
  });
});

describe('count helpers', () => {
  it('plans about one company per eight contacts, and never fewer than five', () => {
    expect(companyCountFor(0)).toBe(5);
    expect(companyCountFor(10)).toBe(5);
    expect(companyCountFor(800)).toBe(100);
    expect(companyCountFor(1_000_000)).toBe(125_000);
  });

  it('sizes every record type in proportion to the contact count', () => {
    expect(demoSizeFor(1_000_000)).toEqual({
      companies: 125_000,
      contacts: 1_000_000,
      consents: 1_000_000,
      deals: 40_000,
      activities: 1_500_000,
      purchases: 250_000,
      events: 3_000_000,
    });
    expect(demoSizeFor(0)).toEqual({ companies: 5, contacts: 0, consents: 0, deals: 0, activities: 0, purchases: 0, events: 0 });
  });
});
