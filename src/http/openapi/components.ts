import { z } from 'zod';
import { problemCodes } from '../problem.ts';

/*
 * Schemas every route group shares, registered under a name in zod's global registry:
 * the OpenAPI document shows each once under components.schemas and refers to it with $ref
 * wherever a route uses it (fastify-type-provider-zod's jsonSchemaTransformObject turns the
 * registry into components; a schema used in requests appears a second time as <Name>Input).
 * Each name is registered once, here or beside the record view it names.
 */

export const uuid = z.uuid().meta({ id: 'Uuid', description: 'A record id (UUID)' });

/** A record id in a path or a body that is looked up as given: any other text finds nothing (404), so the schema only documents the form. */
export const uuidLookup = z.string().meta({ format: 'uuid', description: 'A record id (UUID); other text finds nothing' });

export const fieldIssueSchema = z
  .object({
    field: z.string().describe('Where: a body field path such as items.3.data.email, querystring.<name>, a header name such as If-Match, or request'),
    reason: z.string().describe('Why, in plain words; never the value that was sent'),
    index: z.number().int().optional().describe('The position of the item in a batch, when the issue is about one item'),
  })
  .meta({ id: 'FieldIssue' });

// Loose: a problem may carry more members (an import's report, a record's current ETag).
export const problemSchema = z
  .looseObject({
    type: z.string().describe('https://candor.dev/problems/<code>'),
    title: z.string().describe('The HTTP status in words'),
    status: z.number().int(),
    code: z.enum(problemCodes).describe('Stable, machine-readable: what went wrong'),
    detail: z.string().describe('What went wrong and what to do, in plain words; never a value that was sent'),
    errors: z.array(fieldIssueSchema).optional().describe('Each field the problem is about, with the reason'),
    currentEtag: z.string().optional().describe('412 precondition_failed: the ETag the record has now, to fetch it again and reapply the change'),
    retryAfterSeconds: z.number().int().optional().describe('429 rate_limited: how long to wait, also sent as Retry-After'),
  })
  .meta({ id: 'Problem', description: 'An RFC 9457 problem document, sent as application/problem+json' });

/**
 * Names `schema` in the OpenAPI document: it becomes components.schemas[id] (and <id>Input
 * where requests use it), referred to wherever a route uses it. Call it once per schema,
 * before the schema is wrapped (a list envelope takes its name from its record's).
 */
export function nameComponent(schema: z.ZodType, id: string, description?: string): void {
  z.globalRegistry.add(schema, { ...z.globalRegistry.get(schema), id, ...(description ? { description } : {}) });
}
