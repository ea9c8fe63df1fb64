import type { WidgetNotice } from '../api/types.ts';

/*
 * The consent widget's rules, without the page: what its script tag configures, what it keeps
 * in the embedding site's own storage, when it asks, and what it sends. No DOM and no
 * network here, so each rule is a plain function with a unit test.
 */

/** A purpose as GET /api/v1/collect/notices lists it. */
export type { WidgetNotice };

/** What the visitor chose, kept in the site's localStorage: per purpose, yes or no, and under which notice version. */
export type StoredChoices = { choices: Record<string, { given: boolean; noticeVersion: number }>; decidedAt: string };

/** One choice as POST /api/v1/collect takes it. */
export type ChoiceInput = { purposeKey: string; given: boolean; noticeVersion: number };

export type WidgetConfig = {
  /** The Candor server that served the script: the only one the widget talks to. */
  candorOrigin: string;
  formKey: string;
  /** The purpose page views are collected for. */
  analyticsPurpose: string;
  /** Whether a page view is sent on each page load while analytics consent holds. */
  pageViews: boolean;
  /** Whether the widget shows its own "Privacy choices" button (a page may place its own: data-candor-consent-open). */
  launcher: boolean;
};

export const storageKeys = { choices: 'candor.consent', visitor: 'candor.visitor' } as const;

/** The configuration the script tag's src and data attributes give; null without a form key or a src. */
export function widgetConfig(src: string | null, data: Readonly<Record<string, string | undefined>>): WidgetConfig | null {
  if (!src || !data.formKey) return null;
  let candorOrigin: string;
  try {
    candorOrigin = new URL(src).origin;
  } catch {
    return null;
  }
  if (candorOrigin === 'null') return null;
  return {
    candorOrigin,
    formKey: data.formKey,
    analyticsPurpose: data.analyticsPurpose || 'web_analytics',
    pageViews: data.pageViews !== 'off',
    launcher: data.launcher !== 'none',
  };
}

/** The stored choices, or null when there are none or they are not the widget's (then it asks again). */
export function parseStoredChoices(raw: string | null): StoredChoices | null {
  if (!raw) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { choices, decidedAt } = parsed as Record<string, unknown>;
    if (typeof choices !== 'object' || choices === null || typeof decidedAt !== 'string') return null;
    const kept: StoredChoices['choices'] = {};
    for (const [purposeKey, choice] of Object.entries(choices)) {
      const { given, noticeVersion } = (choice ?? {}) as Record<string, unknown>;
      if (typeof given !== 'boolean' || typeof noticeVersion !== 'number') return null;
      kept[purposeKey] = { given, noticeVersion };
    }
    return { choices: kept, decidedAt };
  } catch {
    return null;
  }
}

/** Whether to ask: nothing chosen yet, or a purpose the visitor has not chosen under its current notice. */
export function needsAsking(stored: StoredChoices | null, notices: readonly WidgetNotice[]): boolean {
  if (!stored) return notices.length > 0;
  return notices.some((notice) => stored.choices[notice.purposeKey]?.noticeVersion !== notice.version);
}

/** Whether the visitor said yes to the purpose (and has not said no since). */
export const isGiven = (stored: StoredChoices | null, purposeKey: string): boolean => stored?.choices[purposeKey]?.given === true;

/**
 * The choices to send for the ticked purposes: every listed purpose gets a yes or a no, under
 * its notice's version. A purpose a Global Privacy Control signal covers is a no while the
 * browser sends it: the server records that opt-out whatever the page says.
 */
export function choicesFor(notices: readonly WidgetNotice[], ticked: ReadonlySet<string>, gpc: boolean): ChoiceInput[] {
  return notices.map((notice) => ({
    purposeKey: notice.purposeKey,
    given: ticked.has(notice.purposeKey) && !(gpc && notice.gpcCovered),
    noticeVersion: notice.version,
  }));
}

export function storedFrom(choices: readonly ChoiceInput[], now: Date): StoredChoices {
  return {
    choices: Object.fromEntries(choices.map((choice) => [choice.purposeKey, { given: choice.given, noticeVersion: choice.noticeVersion }])),
    decidedAt: now.toISOString(),
  };
}

/** A random visitor identifier (UUID v4 form) from 16 random bytes. */
export function visitorIdFrom(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new Error('a visitor id takes 16 random bytes');
  const b = Uint8Array.from(bytes);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The notice's text as paragraphs (the server sends one block a line). */
export const noticeParagraphs = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

/** A page view as /collect takes it: the path only — a query string or fragment may carry personal data. */
export const pageView = (path: string, now: Date) => ({ type: 'page_view' as const, occurredAt: now.toISOString(), properties: { path } });
