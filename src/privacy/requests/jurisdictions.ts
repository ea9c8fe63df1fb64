import { invalid } from '../../shared/domainError.ts';
import type { Regime } from './deadlines.ts';

/*
 * Whose calendar a request's days are counted in: a jurisdiction (a country, or a country
 * and its state: DE, DE-BY, US-CA) and the time zone whose dates count. GDPR requests are
 * counted in an EEA country (or the UK's, whose GDPR counts the same way); CCPA requests in
 * California. The time zone is the country's (its capital's); a state takes its country's.
 */

const timeZones: Record<string, string> = {
  AT: 'Europe/Vienna',
  BE: 'Europe/Brussels',
  BG: 'Europe/Sofia',
  CY: 'Asia/Nicosia',
  CZ: 'Europe/Prague',
  DE: 'Europe/Berlin',
  DK: 'Europe/Copenhagen',
  EE: 'Europe/Tallinn',
  ES: 'Europe/Madrid',
  FI: 'Europe/Helsinki',
  FR: 'Europe/Paris',
  GB: 'Europe/London',
  GR: 'Europe/Athens',
  HR: 'Europe/Zagreb',
  HU: 'Europe/Budapest',
  IE: 'Europe/Dublin',
  IS: 'Atlantic/Reykjavik',
  IT: 'Europe/Rome',
  LI: 'Europe/Vaduz',
  LT: 'Europe/Vilnius',
  LU: 'Europe/Luxembourg',
  LV: 'Europe/Riga',
  MT: 'Europe/Malta',
  NL: 'Europe/Amsterdam',
  NO: 'Europe/Oslo',
  PL: 'Europe/Warsaw',
  PT: 'Europe/Lisbon',
  RO: 'Europe/Bucharest',
  SE: 'Europe/Stockholm',
  SI: 'Europe/Ljubljana',
  SK: 'Europe/Bratislava',
};

export type Jurisdiction = { jurisdiction: string; timeZone: string };

const california: Jurisdiction = { jurisdiction: 'US-CA', timeZone: 'America/Los_Angeles' };
const pattern = /^([A-Z]{2})(?:-([A-Z0-9]{1,3}))?$/;

/** Whether the text names a jurisdiction requests can be counted in (EEA/UK country or state, or US-CA). */
export function isRequestJurisdiction(value: string): boolean {
  const match = pattern.exec(value);
  return value === california.jurisdiction || (match !== null && match[1] in timeZones);
}

/**
 * The jurisdiction of a new request: the one asked for (checked against the regime), else
 * California for CCPA and, for GDPR, the workspace's own country when it is in the EEA or
 * the UK, Ireland otherwise.
 */
export function requestJurisdiction(regime: Regime, requested: string | undefined, workspaceRegion: string): Jurisdiction {
  if (regime === 'ccpa') {
    if (requested !== undefined && requested !== california.jurisdiction) throw invalid('jurisdiction', 'CCPA requests are counted in US-CA');
    return california;
  }
  if (requested === undefined) {
    const country = workspaceRegion.toUpperCase();
    return country in timeZones ? { jurisdiction: country, timeZone: timeZones[country] } : { jurisdiction: 'IE', timeZone: timeZones.IE };
  }
  const match = pattern.exec(requested);
  if (!match || !(match[1] in timeZones)) throw invalid('jurisdiction', 'GDPR requests are counted in an EEA or UK country (DE) or its state (DE-BY)');
  return { jurisdiction: requested, timeZone: timeZones[match[1]] };
}
