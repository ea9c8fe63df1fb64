import { TCString } from '@iabtechlabtcf/core';
import { invalid } from '../../shared/domainError.ts';

/*
 * An IAB TCF v2 TC string, decoded with the IAB Tech Lab's own library (@iabtechlabtcf/core)
 * into the little Candor keeps of it: which TCF purposes the person consented to, and what
 * identifies the string as evidence (the CMP that wrote it, its version, when it was
 * created and last updated). Decoding needs no vendor list. A string that does not decode
 * is refused with 422 naming the field it came in, never quoting it.
 */

export type TcfSignal = {
  /** The TC string as received: kept as sealed evidence, never logged. */
  tcString: string;
  cmpId: number;
  cmpVersion: number;
  created: Date;
  lastUpdated: Date;
  policyVersion: number;
  vendorListVersion: number;
  consentLanguage: string;
  /** TCF purpose ids (1-11) the person consented to. */
  purposeConsents: ReadonlySet<number>;
};

/** The longest TC string taken (range-encoded vendor sections stay far below it). */
export const maxTcStringLength = 10_000;
// A CMP's clock a little ahead of Candor's is not a future time.
const clockSkewMs = 60_000;

export function decodeTcString(value: string, field: string, now = new Date()): TcfSignal {
  if (value.length > maxTcStringLength) throw invalid(field, `longer than ${maxTcStringLength} characters`);
  let model: ReturnType<typeof TCString.decode>;
  try {
    model = TCString.decode(value);
  } catch {
    // The library's messages (and TypeErrors from truncated input) describe the bits, not the person; still, none is passed on.
    throw invalid(field, 'not a TC string of the IAB Transparency and Consent Framework v2 (it does not decode)');
  }
  if (model.version !== 2) throw invalid(field, 'only TCF v2 TC strings are taken');
  const created = model.created;
  const lastUpdated = model.lastUpdated;
  if (!(created instanceof Date) || !(lastUpdated instanceof Date) || Number.isNaN(lastUpdated.getTime())) {
    throw invalid(field, 'the TC string carries no valid created and last-updated times');
  }
  if (lastUpdated.getTime() > now.getTime() + clockSkewMs) throw invalid(field, 'its last-updated time is in the future');
  const purposeConsents = new Set<number>();
  model.purposeConsents.forEach((consented, id) => {
    if (consented) purposeConsents.add(id);
  });
  return {
    tcString: value,
    cmpId: Number(model.cmpId),
    cmpVersion: Number(model.cmpVersion),
    created,
    lastUpdated,
    policyVersion: Number(model.policyVersion),
    vendorListVersion: Number(model.vendorListVersion),
    consentLanguage: model.consentLanguage,
    purposeConsents,
  };
}
