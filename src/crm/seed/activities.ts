import { ACTIVITY_BODIES, CALL_SUBJECTS, EMAIL_SUBJECTS, MEETING_SUBJECTS, NOTE_SUBJECTS, TASK_SUBJECTS } from './catalog.ts';
import { demoCompanyAt } from './companies.ts';
import { demoContactAt } from './contacts.ts';
import { demoDealAt } from './deals.ts';
import { activityKey, assertCount, contactKey, indexFromKey, Stream } from './keys.ts';
import { entitySeed, Random, weighted } from './random.ts';
import { addDaysMs, assertTimeline, DEFAULT_TIMELINE, instantAfterMs, type DemoTimeline } from './timeline.ts';
import type { DemoActivity, DemoActivityType } from './types.ts';

const TYPE_TABLE = weighted<DemoActivityType>([
  ['email', 30],
  ['call', 20],
  ['note', 20],
  ['task', 18],
  ['meeting', 12],
]);

const SUBJECTS: Readonly<Record<DemoActivityType, readonly string[]>> = {
  note: NOTE_SUBJECTS,
  call: CALL_SUBJECTS,
  email: EMAIL_SUBJECTS,
  meeting: MEETING_SUBJECTS,
  task: TASK_SUBJECTS,
};

/** Share of activities logged against a deal rather than only a contact. */
const DEAL_SHARE = 0.35;

/** About one and a half timeline entries per contact. */
export function activityCountFor(contacts: number): number {
  assertCount('contacts', contacts);
  return Math.round(contacts * 1.5);
}

export function demoActivityAt(
  seed: number,
  index: number,
  companies: number,
  contacts: number,
  deals: number,
  timeline: DemoTimeline = DEFAULT_TIMELINE,
): DemoActivity {
  if (contacts < 1) throw new RangeError('Activities need at least one contact');
  const rng = new Random(entitySeed(seed, Stream.activity, index));
  const type = rng.pickWeighted(TYPE_TABLE);
  const onDeal = deals > 0 && rng.chance(DEAL_SHARE);
  const pickedDeal = onDeal ? demoDealAt(seed, rng.int(0, deals - 1), companies, contacts, timeline) : null;
  // A deal nobody works on cannot anchor a call or meeting, so log against a contact instead.
  const deal = pickedDeal && pickedDeal.contactKeys.length > 0 ? pickedDeal : null;
  const contactKeys = deal ? pickSome(rng, deal.contactKeys, type === 'meeting' ? 3 : 1) : [contactKey(rng.int(0, contacts - 1))];
  const contact = demoContactAt(seed, indexFromKey(contactKeys[0]), companies, timeline);
  const subjectTemplate = rng.pick(SUBJECTS[type]);
  const bodyTemplate = rng.pick(ACTIVITY_BODIES);
  const names: TemplateNames = { person: `${contact.firstName} ${contact.lastName}`, company: 'their team' };
  // Regenerating the employer is the costliest lookup here, so only do it when the text needs it.
  if (contact.companyKey !== null && (subjectTemplate + bodyTemplate).includes('{company}')) {
    names.company = demoCompanyAt(seed, indexFromKey(contact.companyKey)).name;
  }
  const fromMs = Math.max(contact.createdAt.getTime(), deal ? deal.createdAt.getTime() : -Infinity);
  const occurredAtMs = instantAfterMs(rng, fromMs, timeline);
  return {
    key: activityKey(index),
    type,
    subject: fillTemplate(subjectTemplate, names),
    body: fillTemplate(bodyTemplate, names),
    dueAt: type === 'task' ? new Date(addDaysMs(occurredAtMs, rng.int(1, 14))) : null,
    contactKeys,
    dealKey: deal ? deal.key : null,
    occurredAt: new Date(occurredAtMs),
  };
}

export function* demoActivities(
  seed: number,
  count: number,
  companies: number,
  contacts: number,
  deals: number,
  timeline: DemoTimeline = DEFAULT_TIMELINE,
): Generator<DemoActivity, void, undefined> {
  assertCount('count', count);
  assertCount('companies', companies);
  assertCount('contacts', contacts);
  assertCount('deals', deals);
  assertTimeline(timeline);
  if (count > 0 && contacts < 1) throw new RangeError('Activities need at least one contact');
  if (deals > 0 && companies < 1) throw new RangeError('Deals need at least one company');
  for (let i = 0; i < count; i++) yield demoActivityAt(seed, i, companies, contacts, deals, timeline);
}

type TemplateNames = { person: string; company: string };

function fillTemplate(template: string, names: TemplateNames): string {
  return template.replaceAll('{name}', names.person).replaceAll('{company}', names.company);
}

function pickSome(rng: Random, keys: readonly string[], max: number): string[] {
  const take = Math.min(keys.length, rng.int(1, max));
  const start = rng.int(0, Math.max(0, keys.length - 1));
  const out: string[] = [];
  for (let i = 0; i < take; i++) out.push(keys[(start + i) % keys.length]);
  return out;
}
