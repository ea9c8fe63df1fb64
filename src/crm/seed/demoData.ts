// Public entry point for demo-workspace data. Every generator is a lazy stream keyed by
// (seed, index), so a seeder can insert a million contacts in batches with flat memory and
// get identical rows for the same seed on any machine.

import { activityCountFor } from './activities.ts';
import { companyCountFor } from './companies.ts';
import { dealCountFor } from './deals.ts';
import { eventCountFor } from './events.ts';
import { assertCount } from './keys.ts';
import { purchaseCountFor } from './purchases.ts';

export type * from './types.ts';
export type { DemoTimeline } from './timeline.ts';
export { DEFAULT_TIMELINE } from './timeline.ts';
export { DEMO_DEAL_STAGES } from './catalog.ts';
export { activityKey, companyKey, contactKey, dealKey } from './keys.ts';
export { companyCountFor, demoCompanies, demoCompanyAt } from './companies.ts';
export { demoContactAt, demoContacts } from './contacts.ts';
export { dealCountFor, demoDealAt, demoDeals } from './deals.ts';
export { activityCountFor, demoActivities, demoActivityAt } from './activities.ts';
export { demoPurchaseAt, demoPurchases, purchaseCountFor } from './purchases.ts';
export { demoEventAt, demoEvents, eventCountFor } from './events.ts';
export { demoConsentHistoryAt, type DemoConsentEvent } from './consents.ts';

export type DemoSize = {
  companies: number;
  contacts: number;
  /** Contacts whose consent history is written (each has one, often empty: consents.ts). */
  consents: number;
  deals: number;
  activities: number;
  purchases: number;
  events: number;
};

/** Every record count for a workspace of `contacts` contacts, in one consistent set. */
export function demoSizeFor(contacts: number): DemoSize {
  assertCount('contacts', contacts);
  return {
    companies: companyCountFor(contacts),
    contacts,
    consents: contacts,
    deals: dealCountFor(contacts),
    activities: activityCountFor(contacts),
    purchases: purchaseCountFor(contacts),
    events: eventCountFor(contacts),
  };
}
