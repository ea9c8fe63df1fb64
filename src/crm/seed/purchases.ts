import { PRODUCTS } from './catalog.ts';
import { contactStageAt, demoContactAt } from './contacts.ts';
import { assertCount, Stream } from './keys.ts';
import { currencyFor } from './money.ts';
import { entitySeed, Random, weighted } from './random.ts';
import { assertTimeline, DEFAULT_TIMELINE, instantAfterMs, type DemoTimeline } from './timeline.ts';
import type { DemoPurchase, DemoPurchaseLine } from './types.ts';

const LINES_PER_ORDER = weighted([
  [1, 55],
  [2, 25],
  [3, 13],
  [4, 7],
]);

// Most buyers are customers, so look for one; give up after a few tries rather than loop
// forever in a workspace that happens to have none.
const CUSTOMER_PROBES = 16;
const BUYER_STAGES = new Set(['customer', 'evangelist', 'opportunity']);

/** About one order per four contacts. */
export function purchaseCountFor(contacts: number): number {
  assertCount('contacts', contacts);
  return Math.round(contacts / 4);
}

/** Zero-padded so order numbers sort correctly as text in exports. */
export function orderNumber(index: number): string {
  return `ORD-${String(index + 1).padStart(7, '0')}`;
}

export function demoPurchaseAt(seed: number, index: number, companies: number, contacts: number, timeline: DemoTimeline = DEFAULT_TIMELINE): DemoPurchase {
  if (contacts < 1) throw new RangeError('Purchases need at least one contact');
  const rng = new Random(entitySeed(seed, Stream.purchase, index));
  let buyer = rng.int(0, contacts - 1);
  for (let probe = 1; probe < CUSTOMER_PROBES && !BUYER_STAGES.has(contactStageAt(seed, buyer)); probe++) {
    buyer = rng.int(0, contacts - 1);
  }
  const contact = demoContactAt(seed, buyer, companies, timeline);
  return {
    contactKey: contact.key,
    orderNumber: orderNumber(index),
    currency: currencyFor(contact.country, rng),
    lines: orderLines(rng),
    purchasedAt: new Date(instantAfterMs(rng, contact.createdAt.getTime(), timeline)),
  };
}

export function* demoPurchases(
  seed: number,
  count: number,
  companies: number,
  contacts: number,
  timeline: DemoTimeline = DEFAULT_TIMELINE,
): Generator<DemoPurchase, void, undefined> {
  assertCount('count', count);
  assertCount('companies', companies);
  assertCount('contacts', contacts);
  assertTimeline(timeline);
  if (count > 0 && contacts < 1) throw new RangeError('Purchases need at least one contact');
  for (let i = 0; i < count; i++) yield demoPurchaseAt(seed, i, companies, contacts, timeline);
}

function orderLines(rng: Random): DemoPurchaseLine[] {
  const wanted = rng.pickWeighted(LINES_PER_ORDER);
  const lines: DemoPurchaseLine[] = [];
  const used = new Set<string>();
  while (lines.length < wanted) {
    const product = rng.pick(PRODUCTS);
    if (used.has(product.sku)) continue;
    used.add(product.sku);
    // Seats are bought in bulk; everything else is usually a single unit.
    const quantity = product.sku === 'SEAT-EXTRA' ? rng.int(1, 25) : rng.chance(0.85) ? 1 : rng.int(2, 5);
    lines.push({ sku: product.sku, name: product.name, quantity, unitPriceMinor: product.unitPriceMinor });
  }
  return lines;
}
