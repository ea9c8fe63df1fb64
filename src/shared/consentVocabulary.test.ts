import { describe, expect, it } from 'vitest';
import { consentEventStates, dpvConsentStatus, loadDpvConsentStatuses } from './consentVocabulary.ts';

describe('the consent ledger vocabulary', () => {
  it('maps every ledger state to a DPV consent-status class that data/dpv holds', () => {
    const known = new Set(loadDpvConsentStatuses().values());
    for (const state of consentEventStates) expect(known).toContain(dpvConsentStatus(state));
    expect(dpvConsentStatus('given')).toBe('https://w3id.org/dpv#ConsentGiven');
    expect(dpvConsentStatus('renewed')).toBe('https://w3id.org/dpv#RenewedConsentGiven');
    expect(dpvConsentStatus('expired')).toBe('https://w3id.org/dpv#ConsentExpired');
  });
});
