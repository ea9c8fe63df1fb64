import { describe, expect, it } from 'vitest';
import { DEMO_DEAL_STAGES } from './catalog.ts';
import { demoContactAt } from './contacts.ts';
import { demoActivities, demoDeals, demoEvents, demoPurchases, demoSizeFor } from './demoData.ts';
import { indexFromKey } from './keys.ts';
import { DEFAULT_TIMELINE } from './timeline.ts';

// Deals, activities, purchases and events point at companies and contacts they never hold in
// memory; these tests regenerate the referenced records to prove the references agree.
const SEED = 77;
const size = demoSizeFor(20_000);
const contactAt = (key: string) => demoContactAt(SEED, indexFromKey(key), size.companies);
const deals = Array.from(demoDeals(SEED, size.deals, size.companies, size.contacts));
const activities = Array.from(demoActivities(SEED, 6_000, size.companies, size.contacts, size.deals));
const purchases = Array.from(demoPurchases(SEED, size.purchases, size.companies, size.contacts));
const events = Array.from(demoEvents(SEED, 12_000, size.contacts));
const END = DEFAULT_TIMELINE.end.getTime();

describe('demoDeals', () => {
  it('only attaches contacts who work at the deal’s company, created before the deal', () => {
    for (const deal of deals) {
      expect(indexFromKey(deal.companyKey)).toBeLessThan(size.companies);
      expect(new Set(deal.contactKeys).size).toBe(deal.contactKeys.length);
      for (const key of deal.contactKeys) {
        const contact = contactAt(key);
        expect(contact.companyKey).toBe(deal.companyKey);
        expect(contact.createdAt.getTime()).toBeLessThanOrEqual(deal.createdAt.getTime());
      }
    }
    expect(deals.filter((deal) => deal.contactKeys.length > 0).length / deals.length).toBeGreaterThan(0.95);
  });

  it('quotes whole-unit amounts between 300 and 400,000 in EUR, USD or GBP', () => {
    for (const deal of deals) {
      expect(Number.isInteger(deal.amountMinor)).toBe(true);
      expect(deal.amountMinor % 100).toBe(0);
      expect(deal.amountMinor).toBeGreaterThanOrEqual(300_00);
      expect(deal.amountMinor).toBeLessThanOrEqual(400_000_00);
      expect(['EUR', 'USD', 'GBP']).toContain(deal.currency);
    }
  });

  it('spreads deals over every pipeline stage and names them after their company', () => {
    const stages = new Set(deals.map((deal) => deal.stageIndex));
    expect([...stages].sort()).toEqual(DEMO_DEAL_STAGES.map((_, index) => index));
    for (const deal of deals) expect(deal.name).toMatch(/^.+ – .+$/);
  });
});

describe('demoActivities', () => {
  it('sets a due date after the activity only for tasks', () => {
    for (const activity of activities) {
      if (activity.type === 'task') {
        expect(activity.dueAt).not.toBeNull();
        expect(activity.dueAt!.getTime()).toBeGreaterThan(activity.occurredAt.getTime());
      } else {
        expect(activity.dueAt).toBeNull();
      }
    }
    expect(new Set(activities.map((activity) => activity.type)).size).toBe(5);
  });

  it('links deal activities to people on that deal, after both were created', () => {
    const dealsByKey = new Map(deals.map((deal) => [deal.key, deal]));
    const linked = activities.filter((activity) => activity.dealKey !== null);
    expect(linked.length / activities.length).toBeGreaterThan(0.25);
    for (const activity of linked) {
      const deal = dealsByKey.get(activity.dealKey!)!;
      expect(deal).toBeDefined();
      for (const key of activity.contactKeys) expect(deal.contactKeys).toContain(key);
      expect(activity.occurredAt.getTime()).toBeGreaterThanOrEqual(deal.createdAt.getTime());
    }
  });

  it('always involves a contact, happens after they joined and fills every placeholder', () => {
    for (const activity of activities) {
      expect(activity.contactKeys.length).toBeGreaterThan(0);
      const contact = contactAt(activity.contactKeys[0]);
      expect(activity.occurredAt.getTime()).toBeGreaterThanOrEqual(contact.createdAt.getTime());
      expect(activity.occurredAt.getTime()).toBeLessThanOrEqual(END);
      expect(`${activity.subject} ${activity.body}`).not.toMatch(/[{}]/);
    }
  });
});

describe('demoPurchases', () => {
  it('numbers orders uniquely and bills mostly customers after they became contacts', () => {
    expect(new Set(purchases.map((purchase) => purchase.orderNumber)).size).toBe(purchases.length);
    let buyers = 0;
    for (const purchase of purchases) {
      const contact = contactAt(purchase.contactKey);
      if (['customer', 'evangelist', 'opportunity'].includes(contact.lifecycleStage)) buyers++;
      expect(purchase.purchasedAt.getTime()).toBeGreaterThanOrEqual(contact.createdAt.getTime());
      expect(purchase.purchasedAt.getTime()).toBeLessThanOrEqual(END);
    }
    expect(buyers / purchases.length).toBeGreaterThan(0.9);
  });

  it('has one to four distinct lines with positive quantities and prices', () => {
    for (const { lines, orderNumber } of purchases) {
      expect(orderNumber).toMatch(/^ORD-\d{7}$/);
      expect(lines.length).toBeGreaterThanOrEqual(1);
      expect(lines.length).toBeLessThanOrEqual(4);
      expect(new Set(lines.map((line) => line.sku)).size).toBe(lines.length);
      for (const line of lines) {
        expect(Number.isInteger(line.quantity) && line.quantity > 0).toBe(true);
        expect(Number.isInteger(line.unitPriceMinor) && line.unitPriceMinor > 0).toBe(true);
      }
    }
  });
});

describe('demoEvents', () => {
  it('identifies every event by a contact, an anonymous id, or both', () => {
    for (const event of events) {
      expect(event.contactKey !== null || event.anonymousId !== null).toBe(true);
      if (event.anonymousId !== null) expect(event.anonymousId).toMatch(/^anon_[0-9a-f]{16}$/);
      if (event.contactKey !== null) expect(indexFromKey(event.contactKey)).toBeLessThan(size.contacts);
    }
    const anonymous = events.filter((event) => event.contactKey === null).length / events.length;
    expect(anonymous).toBeGreaterThan(0.25);
    expect(anonymous).toBeLessThan(0.35);
  });

  it('reuses anonymous ids so visitors have journeys rather than single hits', () => {
    const ids = events.flatMap((event) => (event.contactKey === null && event.anonymousId ? [event.anonymousId] : []));
    expect(new Set(ids).size).toBeLessThan(ids.length);
  });

  it('gives each event type the properties it needs', () => {
    for (const { type, properties, contactKey } of events) {
      if (type === 'email_open') {
        expect(contactKey).not.toBeNull();
        expect(properties.campaign).toBeTruthy();
      } else {
        expect(properties.url).toMatch(/^https:\/\/www\.example\.com\//);
      }
      if (type === 'click' || type === 'form_submit') expect(properties.element).toBeTruthy();
      expect(Object.values(properties).every((value) => typeof value === 'string')).toBe(true);
    }
    expect(new Set(events.map((event) => event.type)).size).toBe(4);
  });
});
