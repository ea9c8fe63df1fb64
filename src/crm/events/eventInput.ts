import { z } from 'zod';
import { isUuid } from '../../db/ids.ts';
import { invalid } from '../../shared/domainError.ts';
import { isStorableInstant, isStorableInstantMs, storableRangeReason } from '../../shared/storableTime.ts';

/*
 * The shape of behavioural events a client sends. Properties are personal data of the
 * event's subject, so nothing here ever echoes a value (or a client-chosen key that does
 * not look like a property name) in an error.
 */

export const eventTypes = ['page_view', 'email_open', 'click', 'form_submit'] as const;
export type EventType = (typeof eventTypes)[number];

/** Most events a batch may carry; the route's byte limit (5 MiB) may bind first. */
export const maxEventsPerBatch = 10_000;
/** Body limit of POST /events/batch: 10,000 events of ~500 bytes each. */
export const eventBatchBodyLimitBytes = 5 * 1024 * 1024;
export const maxPropertiesPerEvent = 20;
export const maxPropertyValueLength = 2048;
export const maxAnonymousIdLength = 200;
/** Clocks drift, but an event from next week is a client bug. */
export const maxFutureSkewMs = 24 * 60 * 60 * 1000;
/** More per-item errors than this are counted, not listed, so a 422 stays small. */
export const maxReportedItemErrors = 100;

const propertyKeyPattern = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

// PostgreSQL text and jsonb cannot hold NUL characters, so they are refused up front.
const withoutNul = (value: string) => !value.includes('\u0000');

export const eventPropertyValueSchema = z.union([z.string().max(maxPropertyValueLength).refine(withoutNul), z.number().finite(), z.boolean()]);

export const eventPropertiesSchema = z
  .record(z.string().regex(propertyKeyPattern), eventPropertyValueSchema)
  .refine((properties) => Object.keys(properties).length <= maxPropertiesPerEvent, { message: `at most ${maxPropertiesPerEvent} properties` })
  .describe('A small flat object: url, referrer, campaign, element, formId, … (string, number or boolean values). Personal data of the subject.');

export const eventInputSchema = z
  .object({
    type: z.enum(eventTypes),
    occurredAt: z.iso.datetime({ offset: true }).refine(isStorableInstant, storableRangeReason).describe('ISO 8601 with offset, e.g. 2025-03-01T10:00:00Z'),
    contactId: z
      .string()
      .refine(isUuid, { message: 'must be a uuid' })
      .meta({ format: 'uuid' })
      .optional()
      .describe('A contact of this workspace. Give exactly one of contactId and anonymousId.'),
    anonymousId: z
      .string()
      .min(1)
      .max(maxAnonymousIdLength)
      .refine(withoutNul)
      .optional()
      .describe('A browser cookie id; Candor keeps a pseudonymous visitor profile per id. Give exactly one of contactId and anonymousId.'),
    properties: eventPropertiesSchema.optional(),
  })
  .strict();

export type EventInput = z.infer<typeof eventInputSchema>;
export type EventProperties = Record<string, string | number | boolean>;

export const eventBatchInputSchema = z.object({ events: z.array(eventInputSchema).min(1).max(maxEventsPerBatch) });

/** A validated event, normalised: occurredAt in UTC, properties always present. */
export type ValidEvent = {
  type: EventType;
  occurredAt: string;
  contactId: string | null;
  anonymousId: string | null;
  properties: EventProperties;
};

export type ItemIssue = { index: number; field: string; reason: string };

const eventFields = new Set(['type', 'occurredAt', 'contactId', 'anonymousId', 'properties']);
const eventTypeSet: ReadonlySet<string> = new Set(eventTypes);
const isoInstantPattern = /^(\d{4})-(\d{2})-(\d{2})T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

const reasons = {
  notObject: 'must be an object',
  unknownField: 'unknown field; an event has type, occurredAt, contactId or anonymousId, and properties',
  type: `must be one of ${eventTypes.join(', ')}`,
  occurredAt: 'must be an ISO 8601 date-time with offset, e.g. 2025-03-01T10:00:00Z',
  future: 'more than a day in the future',
  outOfRange: storableRangeReason,
  contactId: 'must be a uuid',
  anonymousId: `must be a string of 1 to ${maxAnonymousIdLength} characters, without NUL`,
  subject: 'give exactly one of contactId and anonymousId',
  properties: `must be a flat object of at most ${maxPropertiesPerEvent} properties`,
  propertyName: 'property names are 1–64 letters, digits or underscores, starting with a letter',
  propertyValue: `property values are strings (at most ${maxPropertyValueLength} characters, without NUL), numbers or booleans`,
} as const;

// Already in the form toISOString() gives: kept as sent, saving a Date round trip per event.
const canonicalInstantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Milliseconds of an ISO 8601 instant with offset, or null (including impossible dates such as 02-30). */
export function parseInstant(value: string): number | null {
  const match = isoInstantPattern.exec(value);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

function propertiesIssues(properties: unknown, field: string, index: number): ItemIssue[] {
  if (!isPlainObject(properties)) return [{ index, field, reason: reasons.properties }];
  const issues: ItemIssue[] = [];
  const keys = Object.keys(properties);
  if (keys.length > maxPropertiesPerEvent) issues.push({ index, field, reason: reasons.properties });
  for (const key of keys) {
    // A key that is not a property name may itself be a personal value: never echo it.
    if (!propertyKeyPattern.test(key)) {
      issues.push({ index, field, reason: reasons.propertyName });
      continue;
    }
    const value = properties[key];
    const ok =
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value)) ||
      (typeof value === 'string' && value.length <= maxPropertyValueLength && withoutNul(value));
    if (!ok) issues.push({ index, field: `${field}.${key}`, reason: reasons.propertyValue });
  }
  return issues;
}

/**
 * Validates one event by hand rather than with zod: a 10,000-event batch is on the ingest
 * hot path, and this is an order of magnitude faster. eventInputSchema (for the OpenAPI
 * document) describes the same rules; eventInput.test.ts checks that the two agree.
 * `prefix` names the item in issues (e.g. "events[12]"; "" for a single event).
 */
export function validateEvent(input: unknown, prefix: string, index: number, now: number = Date.now()): { event: ValidEvent } | { issues: ItemIssue[] } {
  const field = (name: string) => (prefix ? `${prefix}.${name}` : name);
  if (!isPlainObject(input)) return { issues: [{ index, field: prefix || 'body', reason: reasons.notObject }] };
  const issues: ItemIssue[] = [];
  for (const key of Object.keys(input)) {
    if (!eventFields.has(key)) {
      issues.push({ index, field: prefix || 'body', reason: reasons.unknownField });
      break;
    }
  }
  const { type, occurredAt, contactId, anonymousId, properties } = input;
  if (typeof type !== 'string' || !eventTypeSet.has(type)) issues.push({ index, field: field('type'), reason: reasons.type });
  const occurredAtMs = typeof occurredAt === 'string' ? parseInstant(occurredAt) : null;
  if (occurredAtMs === null) issues.push({ index, field: field('occurredAt'), reason: reasons.occurredAt });
  else if (occurredAtMs > now + maxFutureSkewMs) issues.push({ index, field: field('occurredAt'), reason: reasons.future });
  else if (!isStorableInstantMs(occurredAtMs)) issues.push({ index, field: field('occurredAt'), reason: reasons.outOfRange });
  if (contactId !== undefined && (typeof contactId !== 'string' || !isUuid(contactId)))
    issues.push({ index, field: field('contactId'), reason: reasons.contactId });
  if (
    anonymousId !== undefined &&
    (typeof anonymousId !== 'string' || anonymousId.length < 1 || anonymousId.length > maxAnonymousIdLength || !withoutNul(anonymousId))
  ) {
    issues.push({ index, field: field('anonymousId'), reason: reasons.anonymousId });
  }
  if ((contactId === undefined) === (anonymousId === undefined)) issues.push({ index, field: field('contactId'), reason: reasons.subject });
  if (properties !== undefined) issues.push(...propertiesIssues(properties, field('properties'), index));
  if (issues.length > 0 || occurredAtMs === null) return { issues };
  return {
    event: {
      type: type as EventType,
      occurredAt: canonicalInstantPattern.test(occurredAt as string) ? (occurredAt as string) : new Date(occurredAtMs).toISOString(),
      contactId: typeof contactId === 'string' ? contactId.toLowerCase() : null,
      anonymousId: typeof anonymousId === 'string' ? anonymousId : null,
      properties: (properties ?? {}) as EventProperties,
    },
  };
}

export type BatchValidation = {
  /** Items that passed, with their position in the batch. */
  valid: Array<{ index: number; event: ValidEvent }>;
  /** The first `maxReportedItemErrors` issues, in item order. */
  issues: ItemIssue[];
  invalidItems: number;
};

/**
 * Validates a whole batch: every item is checked so the client gets all per-item errors
 * at once. A body that is not a batch at all is refused here; per-item results are returned
 * so the caller can add its own checks (unknown contacts) before deciding.
 */
export function validateEventBatch(body: unknown, now: number = Date.now()): BatchValidation {
  const items = typeof body === 'object' && body !== null && 'events' in body ? (body as { events: unknown }).events : undefined;
  if (!Array.isArray(items) || items.length === 0 || items.length > maxEventsPerBatch) {
    throw invalid('events', `must be an array of 1 to ${maxEventsPerBatch} events`);
  }
  if (Object.keys(body as object).some((key) => key !== 'events')) {
    throw invalid('body', 'unknown field; a batch is { events: [...] }');
  }
  const valid: BatchValidation['valid'] = [];
  const issues: ItemIssue[] = [];
  let invalidItems = 0;
  for (const [index, item] of items.entries()) {
    const result = validateEvent(item, `events[${index}]`, index, now);
    if ('event' in result) {
      valid.push({ index, event: result.event });
      continue;
    }
    invalidItems += 1;
    for (const issue of result.issues) if (issues.length < maxReportedItemErrors) issues.push(issue);
  }
  return { valid, issues, invalidItems };
}
