import { DEAL_KINDS, DEMO_DEAL_STAGES } from './catalog.ts';
import { demoCompanyAt } from './companies.ts';
import { contactCompanyIndex, contactCreatedAtMs } from './contacts.ts';
import { assertCount, contactKey, dealKey, Stream } from './keys.ts';
import { currencyFor, quotedAmountMinor } from './money.ts';
import { entitySeed, Random, weighted } from './random.ts';
import { assertTimeline, DEFAULT_TIMELINE, growingInstantMs, instantAfterMs, type DemoTimeline } from './timeline.ts';
import type { DemoDeal } from './types.ts';

// Open stages dominate a live pipeline; won outnumber lost because lost deals get archived.
const STAGE_TABLE = weighted([25, 18, 15, 10, 20, 12].map((weight, stage) => [stage, weight] as const));
const CONTACTS_PER_DEAL = weighted([
  [1, 50],
  [2, 30],
  [3, 20],
]);

// Bounds how many candidate contacts are probed per deal, so a workspace with very few
// companies (and thus thousands of contacts each) still generates in constant time.
const MAX_PROBES = 24;

if (STAGE_TABLE.items.length !== DEMO_DEAL_STAGES.length) {
  throw new Error('Deal stage weights must cover every demo stage');
}

/** Roughly one deal per 25 contacts, which gives a pipeline busy enough to browse. */
export function dealCountFor(contacts: number): number {
  assertCount('contacts', contacts);
  return Math.ceil(contacts / 25);
}

export function demoDealAt(seed: number, index: number, companies: number, contacts: number, timeline: DemoTimeline = DEFAULT_TIMELINE): DemoDeal {
  if (companies < 1) throw new RangeError('Deals need at least one company');
  const rng = new Random(entitySeed(seed, Stream.deal, index));
  const companyIndex = rng.int(0, companies - 1);
  const company = demoCompanyAt(seed, companyIndex);
  const members = companyContacts(seed, rng, companyIndex, companies, contacts);
  // A deal cannot predate the people it is with.
  let startMs = -Infinity;
  for (const member of members) startMs = Math.max(startMs, contactCreatedAtMs(seed, member, timeline));
  const createdAtMs = startMs === -Infinity ? growingInstantMs(rng, timeline) : instantAfterMs(rng, startMs, timeline);
  // Bigger customers sign bigger contracts; the ranges overlap so it is a tendency, not a rule.
  const scale = Math.min(4, Math.log10(Math.max(10, company.employeeCount)));
  return {
    key: dealKey(index),
    name: `${company.name} – ${rng.pick(DEAL_KINDS)}`,
    companyKey: company.key,
    contactKeys: members.map(contactKey),
    amountMinor: quotedAmountMinor(rng, 300 * scale, 25_000 * scale * scale),
    currency: currencyFor(company.country, rng),
    stageIndex: rng.pickWeighted(STAGE_TABLE),
    createdAt: new Date(createdAtMs),
  };
}

export function* demoDeals(
  seed: number,
  count: number,
  companies: number,
  contacts: number,
  timeline: DemoTimeline = DEFAULT_TIMELINE,
): Generator<DemoDeal, void, undefined> {
  assertCount('count', count);
  assertCount('companies', companies);
  assertCount('contacts', contacts);
  assertTimeline(timeline);
  if (count > 0 && companies < 1) throw new RangeError('Deals need at least one company');
  for (let i = 0; i < count; i++) yield demoDealAt(seed, i, companies, contacts, timeline);
}

/** Contacts employed by the company, using the (index mod companies) affiliation rule. */
function companyContacts(seed: number, rng: Random, companyIndex: number, companies: number, contacts: number): number[] {
  const slots = companyIndex < contacts ? Math.ceil((contacts - companyIndex) / companies) : 0;
  if (slots === 0) return [];
  const wanted = rng.pickWeighted(CONTACTS_PER_DEAL);
  const start = rng.int(0, slots - 1);
  const found: number[] = [];
  for (let probe = 0; probe < Math.min(slots, MAX_PROBES) && found.length < wanted; probe++) {
    const candidate = companyIndex + ((start + probe) % slots) * companies;
    if (contactCompanyIndex(seed, candidate, companies) === companyIndex) found.push(candidate);
  }
  return found;
}
