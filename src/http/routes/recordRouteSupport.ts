import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { actorKey, fieldReasons, storageReasons, subjectReasons, type AccessContext } from '../../kernel/index.ts';
import { defaultPageSize, maxPageSize } from '../../shared/cursor.ts';
import type { Database, Executor } from '../../db/connection.ts';
import { runIdempotent, type IdempotencyRequest } from '../../platform/idempotency.ts';
import { isStorableCalendarDate, isStorableInstant, storableRangeReason } from '../../shared/storableTime.ts';
import { uuid } from '../openapi/components.ts';
import { declaredIdempotencyKey } from '../routeContract.ts';

/*
 * Shapes and helpers shared by the deal, pipeline, activity and purchase routes: the
 * response envelopes, paging parameters, and reading Idempotency-Key (If-Match: ../etag.ts).
 */

export const idParams = z.object({ id: uuid });

const denyReasons = [...fieldReasons, ...subjectReasons, ...storageReasons, 'personal_data_without_subject'].join(', ');

export const withheldEntrySchema = z
  .object({
    field: z.string(),
    reason: z.string().describe(`One of ${denyReasons}; unrecoverable: sealed under a key that no longer exists`),
    message: z.string().describe('The reason in plain language, naming the purpose where it matters, e.g. "restricted by the person: …"'),
  })
  .meta({ id: 'WithheldEntry' });

/**
 * Fields left out of a response and why. Routes return `{ field, reason }` entries: the
 * message is added to every response in one place (src/http/reasonMessages.ts), so the
 * type routes see leaves it out while the schema (what is sent and documented) requires it.
 */
export const withheldSchema = z.array(withheldEntrySchema).meta({
  id: 'Withheld',
  description:
    'Fields left out of the response and why, e.g. { field: "contactIds", reason: "restricted", message: "restricted by the person: …" } when a linked person may not be processed for the purpose',
}) as unknown as z.ZodType<Array<{ field: string; reason: string }>>;

// Envelopes made once per record schema and kind, so each is one component in the
// OpenAPI document (<Record><Kind>, e.g. ContactPage) when its record schema has a name.
const envelopes = new WeakMap<z.ZodType, Map<string, z.ZodType>>();
function envelopeOf<Envelope extends z.ZodType>(record: z.ZodType, kind: 'Envelope' | 'Page' | 'CountedPage', make: () => Envelope): Envelope {
  const made = envelopes.get(record) ?? new Map<string, z.ZodType>();
  envelopes.set(record, made);
  const existing = made.get(kind);
  if (existing) return existing as Envelope;
  const id = z.globalRegistry.get(record)?.id;
  const envelope = id ? make().meta({ id: `${id}${kind}` }) : make();
  made.set(kind, envelope);
  return envelope;
}

/** `{ data, withheld }`: one record and the fields left out of it. */
export const singleEnvelope = <T extends z.ZodType>(record: T) => envelopeOf(record, 'Envelope', () => z.object({ data: record, withheld: withheldSchema }));

const pageFields = <T extends z.ZodType>(record: T) => ({
  data: z.array(record),
  withheld: withheldSchema,
  nextCursor: z.string().nullable().describe('Pass as cursor to get the next page; null on the last page'),
});

/** `{ data: [...], withheld, nextCursor }`: a page of records. */
export const listEnvelope = <T extends z.ZodType>(record: T) => envelopeOf(record, 'Page', () => z.object(pageFields(record)));

/** The envelope of a list that counts on request (`?count=true`): total and totalIsLowerBound only then. */
export const countedListEnvelope = <T extends z.ZodType>(record: T) =>
  envelopeOf(record, 'CountedPage', () =>
    z.object({
      ...pageFields(record),
      total: z
        .number()
        .int()
        .optional()
        .describe(
          'With count=true only: how many records the list matches, filters and policy included (a person the purpose may not process is not counted), at most the cap',
        ),
      totalIsLowerBound: z
        .boolean()
        .optional()
        .describe('With count=true only: true when more records match than the cap (total is then the cap: "more than total"), false when total is exact'),
    }),
  );

/** `count=true` asks a list for its total (capped, see countedListEnvelope); without it nothing is counted. */
export const countQuery = {
  count: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: also return total (and totalIsLowerBound), counted under the same filters and policy as the list, up to a cap (10,000 by default)'),
};

/** The cap a list counts up to when the client sent count=true; undefined (count nothing) otherwise. */
export const countCapFor = (count: 'true' | 'false' | undefined, cap: number): number | undefined => (count === 'true' ? cap : undefined);

/** cursor, limit and sort, shared by every list; sort names a field, "-" prefix for descending. */
export const pageQuery = (sorts: string[], fallback: string) => ({
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(maxPageSize).default(defaultPageSize),
  sort: z
    .string()
    .max(60)
    .optional()
    .describe(`One of ${sorts.join(', ')}; prefix - for descending. Default ${fallback}.`),
});

export const uuidList = (max: number) => z.array(uuid).max(max);
export const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'an ISO 4217 code in capitals, e.g. EUR')
  .describe('ISO 4217 currency code');
export const minorUnits = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).describe('Integer amount in minor units of the currency (cents)');
/** An ISO 8601 instant with offset that PostgreSQL and JavaScript both hold (years 0001–9999 in UTC). */
export const instant = z.iso.datetime({ offset: true }).refine(isStorableInstant, storableRangeReason);
/** A calendar date YYYY-MM-DD in 0001–9999. */
export const calendarDate = z.iso.date().refine(isStorableCalendarDate, storableRangeReason);

export const isoOrNull = (value: Date | null): string | null => (value ? value.toISOString() : null);
export function dateOrNull(value: string | null): Date | null;
export function dateOrNull(value: string | null | undefined): Date | null | undefined;
export function dateOrNull(value: string | null | undefined): Date | null | undefined {
  return value === undefined ? undefined : value === null ? null : new Date(value);
}

/** The Idempotency-Key of a POST, if the client sent one; only a keyed fingerprint of the body is kept. */
export function idempotencyRequestOf(request: FastifyRequest, ctx: Pick<AccessContext, 'tenantId' | 'actor'>): IdempotencyRequest | null {
  const key = declaredIdempotencyKey(request);
  if (key === null) return null;
  return {
    tenantId: ctx.tenantId,
    key,
    actor: actorKey(ctx.actor),
    method: request.method,
    route: request.routeOptions.url ?? request.url,
    body: request.body,
  };
}

/** The status a create answers with: 201, or what was stored when the request is a replay. */
export const createdStatus = (outcome: { statusCode: number }): 201 => outcome.statusCode as 201;

/**
 * Creates a record (honouring the Idempotency-Key) and reads it for the response in the
 * same transaction, so the write and the read leave their audit entries in one append at
 * its end; a replay reads the record as it is now.
 */
export async function createThenRead<Read>(
  database: Database,
  idempotency: IdempotencyRequest | null,
  create: (executor: Executor) => Promise<string>,
  read: (executor: Executor, id: string) => Promise<Read>,
): Promise<{ statusCode: 201; read: Read }> {
  const outcome = await runIdempotent(database, idempotency, async (tx) => {
    const recordId = await create(tx);
    return { statusCode: 201, recordId, read: await read(tx, recordId) };
  });
  return { statusCode: createdStatus(outcome), read: outcome.replayed ? await read(database.db, outcome.recordId ?? '') : outcome.read };
}

/** How every write about a person answers the subject rules (src/kernel/subjectRules.ts), for route descriptions. */
export const subjectRulesNote =
  "Writes follow the subject rules: a person who is erased, restricted (GDPR Art. 18) or who objected (Art. 21) to the request's purpose " +
  'is refused with 403 forbidden, each error naming the field and the rule (reason erased, restricted or objected); an objection refuses ' +
  "only the purpose objected to. A restricted person's data changes only as a rectification made through a rights request.";
