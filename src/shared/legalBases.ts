import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

/*
 * GDPR Art. 6(1) legal bases and their W3C DPV terms, the interchange vocabulary for
 * purposes (data/dpv/, CC-BY 4.0, see its NOTICE.md). The terms are checked against the
 * vocabulary files when first used, so a typo or a term DPV dropped fails loudly.
 */

export const legalBases = ['consent', 'contract', 'legal_obligation', 'vital_interests', 'public_task', 'legitimate_interests'] as const;
export type LegalBasis = (typeof legalBases)[number];

export type LegalBasisTerms = {
  /** GDPR Art. 6(1) letter. */
  article: string;
  /** Generic DPV class, e.g. dpv:Consent. */
  dpv: string;
  /** GDPR-specific DPV class, e.g. eu-gdpr:A6-1-a. */
  gdpr: string;
};

const termsByBasis: Record<LegalBasis, LegalBasisTerms> = {
  consent: { article: '6(1)(a)', dpv: 'dpv:Consent', gdpr: 'eu-gdpr:A6-1-a' },
  contract: { article: '6(1)(b)', dpv: 'dpv:Contract', gdpr: 'eu-gdpr:A6-1-b' },
  legal_obligation: { article: '6(1)(c)', dpv: 'dpv:LegalObligation', gdpr: 'eu-gdpr:A6-1-c' },
  vital_interests: { article: '6(1)(d)', dpv: 'dpv:VitalInterest', gdpr: 'eu-gdpr:A6-1-d' },
  public_task: { article: '6(1)(e)', dpv: 'dpv:PublicInterest', gdpr: 'eu-gdpr:A6-1-e' },
  legitimate_interests: { article: '6(1)(f)', dpv: 'dpv:LegitimateInterest', gdpr: 'eu-gdpr:A6-1-f' },
};

const vocabularies: Record<string, URL> = {
  dpv: new URL('../../data/dpv/legal_basis.csv', import.meta.url),
  'eu-gdpr': new URL('../../data/dpv/eu-gdpr/legal_basis.csv', import.meta.url),
};

/** Reads the DPV legal-basis classes as prefixed names (dpv:Consent, eu-gdpr:A6-1-a). */
export function loadDpvLegalBasisTerms(): Set<string> {
  const terms = new Set<string>();
  for (const [prefix, file] of Object.entries(vocabularies)) {
    const rows = parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Array<{ term: string; type: string; dpvtype: string }>;
    for (const row of rows) {
      if (row.type === 'class' && row.dpvtype === 'https://w3id.org/dpv#LegalBasis') terms.add(`${prefix}:${row.term}`);
    }
  }
  return terms;
}

/** The terms of each basis that are missing from the vocabulary files; empty when all are there. */
export function missingLegalBasisTerms(known: ReadonlySet<string> = loadDpvLegalBasisTerms()): string[] {
  return Object.values(termsByBasis)
    .flatMap((terms) => [terms.dpv, terms.gdpr])
    .filter((term) => !known.has(term));
}

let validated = false;

/** The DPV terms of a legal basis, validated against data/dpv/ on first use. */
export function legalBasisTerms(basis: LegalBasis): LegalBasisTerms {
  if (!validated) {
    const missing = missingLegalBasisTerms();
    if (missing.length > 0) throw new Error(`DPV legal-basis terms not found in data/dpv/: ${missing.join(', ')}`);
    validated = true;
  }
  return termsByBasis[basis];
}

export const isLegalBasis = (value: string): value is LegalBasis => (legalBases as readonly string[]).includes(value);
