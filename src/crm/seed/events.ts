import { CAMPAIGNS, CLICK_ELEMENTS, FORM_NAMES, SITE_PATHS } from './catalog.ts';
import { contactCreatedAtMs } from './contacts.ts';
import { assertCount, contactKey, Stream } from './keys.ts';
import { entitySeed, Random, weighted } from './random.ts';
import { addDaysMs, assertTimeline, DEFAULT_TIMELINE, growingInstantMs, instantAfterMs, timelineStartMs, type DemoTimeline } from './timeline.ts';
import type { DemoEvent, DemoEventProperties, DemoEventType } from './types.ts';

const SITE = 'https://www.example.com';
const ANONYMOUS_SHARE = 0.3;
/**
 * Two in five identified contacts also carry their browser cookie id, so the demo shows
 * anonymous-to-known journey stitching. Decided by index so a contact is consistently one or the other.
 */
const isCookied = (contact: number): boolean => contact % 5 < 2;

const ANONYMOUS_TYPES = weighted<DemoEventType>([
  ['page_view', 75],
  ['click', 20],
  ['form_submit', 5],
]);
const KNOWN_TYPES = weighted<DemoEventType>([
  ['page_view', 40],
  ['email_open', 30],
  ['click', 25],
  ['form_submit', 5],
]);

/** About three tracked events per contact. */
export function eventCountFor(contacts: number): number {
  assertCount('contacts', contacts);
  return contacts * 3;
}

/**
 * Ids derive from a visitor number rather than the event, so one visitor's events share an
 * id and anonymous journeys look like journeys instead of one-off hits.
 */
export function anonymousIdFor(seed: number, visitor: number): string {
  return `anon_${new Random(entitySeed(seed, Stream.visitor, visitor)).hex(16)}`;
}

/**
 * Event `index`. With `recentDays`, every event falls in the last `recentDays` of the
 * timeline (the contacts still span all of it): the demo keeps its events inside web
 * analytics' retention period.
 */
export function demoEventAt(seed: number, index: number, contacts: number, timeline: DemoTimeline = DEFAULT_TIMELINE, recentDays?: number): DemoEvent {
  const rng = new Random(entitySeed(seed, Stream.event, index));
  const recent: DemoTimeline = recentDays === undefined ? timeline : { end: timeline.end, days: Math.min(timeline.days, recentDays) };
  if (contacts < 1 || rng.chance(ANONYMOUS_SHARE)) {
    // Visitor numbers above the contact range never collide with contacts' cookies.
    const visitor = contacts + rng.int(0, Math.max(1, Math.floor(contacts / 2)));
    const type = rng.pickWeighted(ANONYMOUS_TYPES);
    return {
      contactKey: null,
      anonymousId: anonymousIdFor(seed, visitor),
      type,
      occurredAt: new Date(growingInstantMs(rng, recent)),
      properties: propertiesFor(rng, type, false),
    };
  }
  const contact = rng.int(0, contacts - 1);
  const type = rng.pickWeighted(KNOWN_TYPES);
  // Some browsing happens shortly before sign-up, the rest afterwards.
  const fromMs = Math.max(addDaysMs(contactCreatedAtMs(seed, contact, timeline), -rng.int(0, 7)), timelineStartMs(recent));
  return {
    contactKey: contactKey(contact),
    anonymousId: type !== 'email_open' && isCookied(contact) ? anonymousIdFor(seed, contact) : null,
    type,
    occurredAt: new Date(instantAfterMs(rng, fromMs, timeline)),
    properties: propertiesFor(rng, type, true),
  };
}

export function* demoEvents(seed: number, count: number, contacts: number, timeline: DemoTimeline = DEFAULT_TIMELINE): Generator<DemoEvent, void, undefined> {
  assertCount('count', count);
  assertCount('contacts', contacts);
  assertTimeline(timeline);
  for (let i = 0; i < count; i++) yield demoEventAt(seed, i, contacts, timeline);
}

function propertiesFor(rng: Random, type: DemoEventType, known: boolean): DemoEventProperties {
  const url = `${SITE}${rng.pick(SITE_PATHS)}`;
  switch (type) {
    case 'page_view':
      return { url };
    case 'email_open':
      return { campaign: rng.pick(CAMPAIGNS) };
    case 'click':
      // Identified people also click links in campaign emails; anonymous ones only on the site.
      return known && rng.chance(0.5) ? { url, campaign: rng.pick(CAMPAIGNS), element: 'email-link' } : { url, element: rng.pick(CLICK_ELEMENTS) };
    case 'form_submit': {
      const form = rng.pick(FORM_NAMES);
      return { url: `${SITE}/forms/${form}`, element: form };
    }
  }
}
