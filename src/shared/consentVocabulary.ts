import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

/*
 * The words of the consent ledger: what a ledger event says (its state) and how it reached
 * Candor (its channel), with each state's W3C DPV consent-status class, the interchange
 * vocabulary (data/dpv/consent_status.csv, W3C Software and Document License, see its
 * NOTICE.md). The terms are checked against that file when first used, so a typo or a term
 * DPV dropped fails loudly. The database holds the short names (check constraints in
 * migration 0018); the IRIs are for receipts and exports.
 */

export const consentEventStates = ['given', 'refused', 'withdrawn', 'expired', 'renewed', 'opted_out'] as const;
export type ConsentEventState = (typeof consentEventStates)[number];

/** The states after which consent is live (until its expiry time). Every other state ends it. */
export const liveConsentStates = ['given', 'renewed'] as const satisfies readonly ConsentEventState[];

export const consentChannels = ['form', 'widget', 'portal', 'import', 'api', 'staff', 'email_link', 'gpc', 'tcf'] as const;
export type ConsentChannel = (typeof consentChannels)[number];

/*
 * DPV has no class of its own for an opt-out of sale, sharing or targeted advertising (a
 * CCPA/CPRA notion): it is the person saying no to that processing, which DPV calls
 * ConsentWithdrawn when it ends an earlier agreement and ConsentRefused otherwise; Candor
 * records it as withdrawn (the processing it stops may have run on an implied basis).
 */
const dpvTermByState: Record<ConsentEventState, string> = {
  given: 'ConsentGiven',
  refused: 'ConsentRefused',
  withdrawn: 'ConsentWithdrawn',
  expired: 'ConsentExpired',
  renewed: 'RenewedConsentGiven',
  opted_out: 'ConsentWithdrawn',
};

const vocabulary = new URL('../../data/dpv/consent_status.csv', import.meta.url);

/** The DPV consent-status classes in data/dpv/, by term: term → IRI. */
export function loadDpvConsentStatuses(): Map<string, string> {
  const rows = parse(readFileSync(vocabulary, 'utf8'), { columns: true, skip_empty_lines: true }) as Array<{ term: string; type: string; iri: string }>;
  return new Map(rows.filter((row) => row.type === 'class').map((row) => [row.term, row.iri]));
}

let iris: Map<ConsentEventState, string> | null = null;

/** The DPV consent-status IRI of a ledger state, e.g. given → https://w3id.org/dpv#ConsentGiven. */
export function dpvConsentStatus(state: ConsentEventState): string {
  if (!iris) {
    const known = loadDpvConsentStatuses();
    const missing = consentEventStates.filter((s) => !known.has(dpvTermByState[s]));
    if (missing.length > 0) throw new Error(`DPV consent-status terms not found in data/dpv/: ${missing.map((s) => dpvTermByState[s]).join(', ')}`);
    iris = new Map(consentEventStates.map((s) => [s, known.get(dpvTermByState[s])!]));
  }
  return iris.get(state)!;
}

export const isConsentEventState = (value: string): value is ConsentEventState => (consentEventStates as readonly string[]).includes(value);
export const isConsentChannel = (value: string): value is ConsentChannel => (consentChannels as readonly string[]).includes(value);
