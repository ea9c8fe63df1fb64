import { BRAND_ENDS, BRAND_STARTS, COMPANY_NOUNS, INDUSTRIES, LEGAL_SUFFIXES } from './business.ts';
import { assertCount, companyKey, Stream } from './keys.ts';
import { NAME_GROUPS } from './names.ts';
import { PLACES, type DemoPlace } from './places.ts';
import { entitySeed, Random, weighted } from './random.ts';
import { asciiSlug } from './slug.ts';
import type { DemoCompany } from './types.ts';

export const PLACE_TABLE = weighted(PLACES.map((place) => [place, place.weight] as const));

// Headcount bands follow the long tail of real B2B lists: mostly small firms, a few giants.
const SIZE_BANDS = weighted<readonly [number, number]>([
  [[1, 10], 25],
  [[11, 50], 30],
  [[51, 200], 22],
  [[201, 1000], 14],
  [[1001, 5000], 6],
  [[5001, 50000], 3],
]);

const NON_COMMERCIAL = new Set(['Non-profit', 'Public Sector', 'Education']);

/** About one company per eight contacts, never fewer than five so pickers have choice. */
export function companyCountFor(contacts: number): number {
  assertCount('contacts', contacts);
  return Math.max(5, Math.round(contacts / 8));
}

/**
 * The company's location, drawn first from its stream so contacts can share their
 * employer's city without regenerating the whole company.
 */
export function companyPlaceAt(seed: number, index: number): DemoPlace {
  return new Random(entitySeed(seed, Stream.company, index)).pickWeighted(PLACE_TABLE);
}

export function demoCompanyAt(seed: number, index: number): DemoCompany {
  const rng = new Random(entitySeed(seed, Stream.company, index));
  const place = rng.pickWeighted(PLACE_TABLE);
  const industry = rng.pick(INDUSTRIES);
  const brand = brandName(rng);
  const suffixes = LEGAL_SUFFIXES[place.country];
  const name = suffixes && rng.chance(0.6) ? `${brand.display} ${rng.pick(suffixes)}` : brand.display;
  const tld = NON_COMMERCIAL.has(industry) ? 'org' : 'com';
  const [low, high] = rng.pickWeighted(SIZE_BANDS);
  // Log-uniform inside the band, otherwise every band would cluster near its upper end.
  const employeeCount = Math.round(Math.exp(Math.log(low) + rng.next() * (Math.log(high) - Math.log(low))));
  return {
    key: companyKey(index),
    name,
    // The index keeps domains unique across a million rows while staying under example.*.
    domain: `${brand.slug}-${index + 1}.example.${tld}`,
    industry,
    employeeCount,
    city: place.city,
    country: place.country,
  };
}

export function* demoCompanies(seed: number, count: number): Generator<DemoCompany, void, undefined> {
  assertCount('count', count);
  for (let i = 0; i < count; i++) yield demoCompanyAt(seed, i);
}

type BrandName = { readonly display: string; readonly slug: string };

// Slugs are assembled from pre-slugged parts because Unicode normalisation per company
// would dominate generation time.
const SURNAMES = NAME_GROUPS.map((group) => group.last.map((name) => [name, asciiSlug(name, '-')] as const));
const NOUNS = COMPANY_NOUNS.map((noun) => [noun, asciiSlug(noun, '-')] as const);

// Helpers live at module level rather than as closures: tsx (which runs the CLI) wraps
// every named closure in a defineProperty call, which is measurable at a million rows.
function brandName(rng: Random): BrandName {
  const roll = rng.next();
  if (roll < 0.4) return join(inventedBrand(rng), ' ', pickPart(rng, NOUNS));
  if (roll < 0.65) return join(pickPart(rng, rng.pick(SURNAMES)), ' ', pickPart(rng, NOUNS));
  if (roll < 0.8) return join(pickPart(rng, rng.pick(SURNAMES)), ' & ', pickPart(rng, rng.pick(SURNAMES)));
  return inventedBrand(rng);
}

function inventedBrand(rng: Random): BrandName {
  const display = `${rng.pick(BRAND_STARTS)}${rng.pick(BRAND_ENDS)}`;
  return { display, slug: display.toLowerCase() };
}

function pickPart(rng: Random, parts: ReadonlyArray<readonly [string, string]>): BrandName {
  const [display, slug] = rng.pick(parts);
  return { display, slug };
}

function join(a: BrandName, separator: string, b: BrandName): BrandName {
  return { display: `${a.display}${separator}${b.display}`, slug: `${a.slug}-${b.slug}` };
}
