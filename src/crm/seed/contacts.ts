import { JOB_TITLES } from './business.ts';
import { companyPlaceAt, PLACE_TABLE } from './companies.ts';
import { assertCount, companyKey, contactKey, Stream } from './keys.ts';
import { NAME_GROUPS, type NameGroup } from './names.ts';
import { entitySeed, hashUnit, Random, weighted } from './random.ts';
import { asciiSlug } from './slug.ts';
import { assertTimeline, DEFAULT_TIMELINE, growingInstantMs, type DemoTimeline } from './timeline.ts';
import type { DemoContact, DemoContactSource, DemoLifecycleStage } from './types.ts';

const AFFILIATED_SHARE = 0.85;
const SAME_CITY_AS_EMPLOYER = 0.7;
const SAME_GROUP_SURNAME = 0.85;

const GROUP_TABLE = weighted(NAME_GROUPS.map((group) => [group, group.weight] as const));
const TITLE_TABLE = weighted(JOB_TITLES);

// Funnel-shaped: many subscribers and leads, few evangelists.
const STAGES: ReadonlyArray<readonly [DemoLifecycleStage, number]> = [
  ['subscriber', 25],
  ['lead', 30],
  ['marketing_qualified_lead', 12],
  ['sales_qualified_lead', 8],
  ['opportunity', 6],
  ['customer', 14],
  ['evangelist', 2],
  ['other', 3],
];
const STAGE_TABLE = weighted(STAGES);

const SOURCE_TABLE = weighted<DemoContactSource>([
  ['form', 45],
  ['import', 30],
  ['api', 15],
  ['staff', 10],
]);

const EMAIL_DOMAIN_TABLE = weighted([
  ['example.com', 50],
  ['example.org', 25],
  ['example.net', 25],
]);

type LocalPart = (first: string, last: string) => string;
const LOCAL_PART_TABLE = weighted<LocalPart>([
  [(f, l) => `${f}.${l}`, 6],
  [(f, l) => `${f}${l}`, 2],
  [(f, l) => `${f[0]}.${l}`, 2],
  [(f, l) => `${f}_${l}`, 1],
  [(f, l) => `${l}.${f}`, 1],
]);

// Slugging is the costliest step per contact, and names repeat constantly, so do it once.
const SLUGS = new Map<string, string>();
for (const group of NAME_GROUPS) {
  for (const name of [...group.first, ...group.last]) SLUGS.set(name, asciiSlug(name, '-') || 'x');
}

/**
 * Contact i works for company (i mod companies), or for nobody. A fixed rule rather than a
 * random pick lets a deal enumerate its company's contacts without an index in memory.
 */
export function contactCompanyIndex(seed: number, index: number, companies: number): number | null {
  if (companies < 1 || hashUnit(seed, Stream.contactCompany, index) >= AFFILIATED_SHARE) return null;
  return index % companies;
}

export function contactStageAt(seed: number, index: number): DemoLifecycleStage {
  return new Random(entitySeed(seed, Stream.contactStage, index)).pickWeighted(STAGE_TABLE);
}

export function contactCreatedAtMs(seed: number, index: number, timeline: DemoTimeline): number {
  return growingInstantMs(new Random(entitySeed(seed, Stream.contactCreated, index)), timeline);
}

/**
 * Plain E.164 digits in the fictional +1 555 range: +15550100000 plus the index, which
 * keeps every number unique. Built as text because formatting an 11-digit double is
 * several times slower than a small integer.
 */
export function demoPhone(index: number): string {
  return `+1555${String(100_000 + index).padStart(7, '0')}`;
}

export function demoContactAt(seed: number, index: number, companies: number, timeline: DemoTimeline = DEFAULT_TIMELINE): DemoContact {
  const rng = new Random(entitySeed(seed, Stream.contact, index));
  const group: NameGroup = rng.pickWeighted(GROUP_TABLE);
  const firstName = rng.pick(group.first);
  const surnameGroup = rng.chance(SAME_GROUP_SURNAME) ? group : rng.pick(NAME_GROUPS);
  const lastName = rng.pick(surnameGroup.last);
  const local = rng.pickWeighted(LOCAL_PART_TABLE)(SLUGS.get(firstName) ?? 'x', SLUGS.get(lastName) ?? 'x');
  const companyIndex = contactCompanyIndex(seed, index, companies);
  const place = companyIndex !== null && rng.chance(SAME_CITY_AS_EMPLOYER) ? companyPlaceAt(seed, companyIndex) : rng.pickWeighted(PLACE_TABLE);
  return {
    key: contactKey(index),
    firstName,
    lastName,
    // Slugs contain no digits, so the trailing ".<index>" alone makes every address unique.
    email: `${local}.${index}@${rng.pickWeighted(EMAIL_DOMAIN_TABLE)}`,
    phone: demoPhone(index),
    jobTitle: rng.pickWeighted(TITLE_TABLE),
    companyKey: companyIndex === null ? null : companyKey(companyIndex),
    lifecycleStage: contactStageAt(seed, index),
    source: rng.pickWeighted(SOURCE_TABLE),
    city: place.city,
    country: place.country,
    createdAt: new Date(contactCreatedAtMs(seed, index, timeline)),
  };
}

export function* demoContacts(
  seed: number,
  count: number,
  companies: number,
  timeline: DemoTimeline = DEFAULT_TIMELINE,
): Generator<DemoContact, void, undefined> {
  assertCount('count', count);
  assertCount('companies', companies);
  assertTimeline(timeline);
  for (let i = 0; i < count; i++) yield demoContactAt(seed, i, companies, timeline);
}
