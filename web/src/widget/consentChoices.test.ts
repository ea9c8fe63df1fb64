import { describe, expect, it } from 'vitest';
import {
  choicesFor,
  isGiven,
  needsAsking,
  noticeParagraphs,
  pageView,
  parseStoredChoices,
  storedFrom,
  visitorIdFrom,
  type WidgetNotice,
  widgetConfig,
} from './consentChoices.ts';

const notice = (purposeKey: string, version = 1, gpcCovered = false): WidgetNotice => ({
  purposeKey,
  version,
  title: purposeKey,
  language: 'en',
  text: 'Why.',
  gpcCovered,
});
const notices = [notice('targeted_advertising', 1, true), notice('web_analytics', 2)];

describe('the script tag configuration', () => {
  it('takes the Candor origin from the script src and the form key from data-form-key', () => {
    expect(widgetConfig('https://crm.example.org/widget/consent.js?v=1', { formKey: 'cfk_x' })).toEqual({
      candorOrigin: 'https://crm.example.org',
      formKey: 'cfk_x',
      analyticsPurpose: 'web_analytics',
      pageViews: true,
      launcher: true,
    });
  });

  it('honours data-analytics-purpose, data-page-views="off" and data-launcher="none"', () => {
    expect(
      widgetConfig('http://127.0.0.1:3000/widget/consent.js', { formKey: 'k', analyticsPurpose: 'stats', pageViews: 'off', launcher: 'none' }),
    ).toMatchObject({
      analyticsPurpose: 'stats',
      pageViews: false,
      launcher: false,
    });
  });

  it('does nothing without a form key or a usable src', () => {
    expect(widgetConfig('https://crm.example.org/widget/consent.js', {})).toBeNull();
    expect(widgetConfig(null, { formKey: 'k' })).toBeNull();
    expect(widgetConfig('not a url', { formKey: 'k' })).toBeNull();
  });
});

describe('the stored choices', () => {
  it('reads back what it stored', () => {
    const stored = storedFrom([{ purposeKey: 'web_analytics', given: true, noticeVersion: 2 }], new Date('2026-05-01T10:00:00Z'));
    expect(parseStoredChoices(JSON.stringify(stored))).toEqual(stored);
    expect(isGiven(stored, 'web_analytics')).toBe(true);
    expect(isGiven(stored, 'targeted_advertising')).toBe(false);
  });

  it('treats anything else as no choice at all, so the visitor is asked again', () => {
    for (const raw of [null, '', 'not json', '[]', '{"choices":{}}', '{"choices":{"a":{"given":"yes","noticeVersion":1}},"decidedAt":"x"}']) {
      expect(parseStoredChoices(raw)).toBeNull();
    }
    expect(isGiven(null, 'web_analytics')).toBe(false);
  });
});

describe('when the widget asks', () => {
  it('asks a visitor who chose nothing yet', () => {
    expect(needsAsking(null, notices)).toBe(true);
  });

  it('does not ask again once every purpose was chosen under its current notice, yes or no', () => {
    const stored = storedFrom(choicesFor(notices, new Set(), false), new Date());
    expect(needsAsking(stored, notices)).toBe(false);
  });

  it('asks again when a notice has a new version or a purpose is new', () => {
    const stored = storedFrom(choicesFor(notices, new Set(), false), new Date());
    expect(needsAsking(stored, [notices[0], notice('web_analytics', 3)])).toBe(true);
    expect(needsAsking(stored, [...notices, notice('third_party_sharing')])).toBe(true);
  });

  it('asks nothing when there is nothing to ask', () => {
    expect(needsAsking(null, [])).toBe(false);
  });
});

describe('the choices it sends', () => {
  it('says yes or no for every purpose shown, under the notice version shown; nothing is yes unless ticked', () => {
    expect(choicesFor(notices, new Set(['web_analytics']), false)).toEqual([
      { purposeKey: 'targeted_advertising', given: false, noticeVersion: 1 },
      { purposeKey: 'web_analytics', given: true, noticeVersion: 2 },
    ]);
  });

  it('says no to a purpose a Global Privacy Control signal covers, even if ticked', () => {
    const all = new Set(notices.map((n) => n.purposeKey));
    expect(choicesFor(notices, all, true).map((choice) => choice.given)).toEqual([false, true]);
    expect(choicesFor(notices, all, false).map((choice) => choice.given)).toEqual([true, true]);
  });

  it('sends a page view with the path only', () => {
    expect(pageView('/pricing', new Date('2026-05-01T10:00:00Z'))).toEqual({
      type: 'page_view',
      occurredAt: '2026-05-01T10:00:00.000Z',
      properties: { path: '/pricing' },
    });
  });
});

describe('the visitor identifier and the notice text', () => {
  it('makes a UUID v4 of 16 random bytes', () => {
    const id = visitorIdFrom(new Uint8Array(16).fill(255));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(visitorIdFrom(new Uint8Array(16))).not.toBe(id);
    expect(() => visitorIdFrom(new Uint8Array(8))).toThrow();
  });

  it('splits the notice into its paragraphs, blank lines dropped', () => {
    expect(noticeParagraphs('We count visits.\n\n  We keep them a year. \n')).toEqual(['We count visits.', 'We keep them a year.']);
  });
});
