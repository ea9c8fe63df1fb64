import { describe, expect, it } from 'vitest';
import { domainErrorThrownBy } from '../../shared/domainError.ts';
import { isRequestJurisdiction, requestJurisdiction } from './jurisdictions.ts';

describe('the jurisdiction a request is counted in', () => {
  it('is California for CCPA, and refuses any other', () => {
    expect(requestJurisdiction('ccpa', undefined, 'DE')).toEqual({ jurisdiction: 'US-CA', timeZone: 'America/Los_Angeles' });
    expect(domainErrorThrownBy(() => requestJurisdiction('ccpa', 'DE', 'DE')).issues[0].field).toBe('jurisdiction');
  });

  it("is the workspace's EEA country for GDPR by default, Ireland when the workspace is outside it", () => {
    expect(requestJurisdiction('gdpr', undefined, 'fr')).toEqual({ jurisdiction: 'FR', timeZone: 'Europe/Paris' });
    expect(requestJurisdiction('gdpr', undefined, 'US')).toEqual({ jurisdiction: 'IE', timeZone: 'Europe/Dublin' });
  });

  it("takes a state's country's time zone, and refuses a country outside the EEA and the UK", () => {
    expect(requestJurisdiction('gdpr', 'DE-BY', 'US')).toEqual({ jurisdiction: 'DE-BY', timeZone: 'Europe/Berlin' });
    expect(domainErrorThrownBy(() => requestJurisdiction('gdpr', 'US-CA', 'US')).issues[0].field).toBe('jurisdiction');
    expect(isRequestJurisdiction('de')).toBe(false);
    expect(isRequestJurisdiction('GB')).toBe(true);
  });
});
