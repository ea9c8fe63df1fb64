import { describe, expect, it } from 'vitest';
import { defaultPurposes } from '../defaultPurposes.ts';
import { consentedPurposes, loadTcfPurposes, mapTcfPurposes } from './tcfPurposes.ts';

const workspace = defaultPurposes.map((purpose) => ({ key: purpose.key, legalBasis: purpose.legalBasis, dataUse: purpose.dataUse }));

describe('the TCF purpose map', () => {
  it('reads the eleven TCF purposes of the fideslang GVL mapping', () => {
    expect(loadTcfPurposes().map((purpose) => purpose.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('maps the measurement purposes to web analytics and personalised ads to targeted advertising, and reports the rest', () => {
    const map = mapTcfPurposes(workspace);
    expect(Object.fromEntries(map.byPurpose)).toEqual({ web_analytics: [7, 8, 9], targeted_advertising: [4] });
    expect(map.unmapped).toEqual([1, 2, 3, 5, 6, 10, 11]);
  });

  it('leaves out purposes that are not on the consent basis', () => {
    const map = mapTcfPurposes([{ key: 'ads', legalBasis: 'legitimate_interests', dataUse: 'marketing.advertising' }]);
    expect(map.byPurpose.size).toBe(0);
    expect(map.unmapped).toHaveLength(11);
  });

  it('maps a broader Candor purpose to every TCF purpose beneath it', () => {
    const map = mapTcfPurposes([{ key: 'ads', legalBasis: 'consent', dataUse: 'marketing.advertising' }]);
    expect(map.byPurpose.get('ads')).toEqual([2, 3, 4]);
  });

  it('counts a purpose as consented only when every TCF purpose bearing on it is', () => {
    const map = mapTcfPurposes(workspace);
    expect(Object.fromEntries(consentedPurposes(map, new Set([7, 8, 9])))).toEqual({ web_analytics: true, targeted_advertising: false });
    expect(Object.fromEntries(consentedPurposes(map, new Set([8, 4])))).toEqual({ web_analytics: false, targeted_advertising: true });
  });
});
