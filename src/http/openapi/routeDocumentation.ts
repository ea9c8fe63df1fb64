import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idempotencyKeyPattern } from '../../platform/idempotency.ts';
import { etagPattern } from '../etag.ts';
import { problemSchema } from './components.ts';
import { problemCasesOf, problemExamples, problemResponsesOf } from './problemResponses.ts';
import { routeFactsOf, type RouteFacts } from './routeFacts.ts';

/*
 * How @fastify/swagger documents each route (transform) and the document as a whole
 * (transformObject). fastify-type-provider-zod turns the zod schemas into JSON schemas and
 * the registered ones into components; on top of that every operation gets, from
 * src/http/openapi/routeFacts.ts: the headers it reads (If-Match, Idempotency-Key,
 * X-CSRF-Token, Candor-Purpose), the ETag it answers with, its problem responses with
 * examples, and no security requirement when the route is public.
 */

type JsonSchema = { [keyword: string]: unknown; properties?: Record<string, JsonSchema>; required?: string[] };

const schemaRef = (schema: z.ZodType) => `#/components/schemas/${z.globalRegistry.get(schema)?.id}`;

const ifMatchDescriptions = {
  required:
    'The ETag of the record as you last read it (GET answers it): the change is refused with 412 when the record changed since, and with 428 when If-Match is missing.',
  optional: 'Optional: the ETag of the record as you last read it; the request is refused with 412 when the record changed since.',
};

// Header names as clients write them; Fastify validates them lower-cased.
const canonicalHeaderName = (name: string) => name.replace(/(^|-)([a-z])/g, (_match, dash: string, letter: string) => `${dash}${letter.toUpperCase()}`);

function headerParameters(declared: JsonSchema | undefined, facts: RouteFacts): JsonSchema | undefined {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, schema] of Object.entries(declared?.properties ?? {})) {
    properties[canonicalHeaderName(name)] = schema;
    if (declared?.required?.includes(name)) required.push(canonicalHeaderName(name));
  }
  if (facts.ifMatch) {
    properties['If-Match'] = { type: 'string', pattern: etagPattern.source, example: '"3"', description: ifMatchDescriptions[facts.ifMatch] };
    if (facts.ifMatch === 'required') required.push('If-Match');
  }
  if (facts.idempotencyKey) {
    properties['Idempotency-Key'] = {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      pattern: idempotencyKeyPattern.source,
      description:
        'Any unique string of 1–200 visible ASCII characters: a retry with the same key and body (after a timeout, concurrently) does the work once and replays the first answer for 24 hours; the same key with another request is 422.',
    };
  }
  if (facts.authenticated && facts.changesState) {
    properties['X-CSRF-Token'] = {
      type: 'string',
      maxLength: 200,
      description: 'With the session cookie only: the csrfToken that login returned (403 csrf_failed without it). Requests with an API key do not send it.',
    };
  }
  if (facts.portalSession && facts.changesState) {
    properties['X-CSRF-Token'] = {
      type: 'string',
      maxLength: 200,
      description: 'The csrfToken the portal sign-in answered (also in GET …/me); 403 csrf_failed without it.',
    };
    required.push('X-CSRF-Token');
  }
  if (Object.keys(properties).length === 0) return undefined;
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
}

const statusTexts: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted', '204': 'No Content' };

// @fastify/swagger takes a response's description from x-response-description (kept out of
// the schema), or from the description beside a $ref (which OpenAPI 3.0 ignores in a schema).
const describedAs = (response: JsonSchema, text: string) => ('$ref' in response ? { description: text } : { 'x-response-description': text });

/**
 * The success responses: the route's own, each described by its status, with the ETag
 * header where the route sets one; a route without a response schema (a streamed file)
 * answers 200 in the media types it produces.
 */
function successResponses(responses: Record<string, JsonSchema>, produces: readonly string[] | undefined, facts: RouteFacts): Record<string, JsonSchema> {
  const declared = Object.keys(responses).some((status) => status.startsWith('2'))
    ? responses
    : {
        ...responses,
        '200': {
          content: Object.fromEntries(
            (produces ?? ['application/json']).map((type) => [type, { schema: type === 'application/json' ? {} : { type: 'string' } }]),
          ),
        },
      };
  const described = Object.fromEntries(
    Object.entries(declared).map(([status, response]) => [
      status,
      // A 204 has no body: a null schema leaves the content out.
      status === '204'
        ? { description: response.description ?? statusTexts[status], type: 'null' }
        : { ...response, ...describedAs(response, String(response.description ?? statusTexts[status] ?? 'Success')) },
    ]),
  );
  return withEtag(described, facts);
}

/** The ETag response header on each success that has a body, for routes that set one. */
function withEtag(responses: Record<string, JsonSchema>, facts: RouteFacts): Record<string, JsonSchema> {
  if (!facts.etag) return responses;
  return Object.fromEntries(
    Object.entries(responses).map(([status, response]) => [
      status,
      status.startsWith('2') && status !== '204'
        ? {
            ...response,
            headers: { ETag: { type: 'string', example: '"3"', description: "The record's version: send it as If-Match to change or delete the record" } },
          }
        : response,
    ]),
  );
}

export const documentRoute: SwaggerTransform = (input) => {
  const transformed = jsonSchemaTransform(input as Parameters<typeof jsonSchemaTransform>[0]);
  const schema = transformed.schema as JsonSchema & {
    hide?: boolean;
    headers?: JsonSchema;
    response?: Record<string, JsonSchema>;
    produces?: readonly string[];
  };
  if (schema.hide) return transformed;
  const facts = routeFactsOf(input.route, input.url);
  const drp = input.route.config?.drp;
  if (drp) return { url: transformed.url, schema: drpDocumentation(schema, drp, facts) as typeof transformed.schema };
  const headers = headerParameters(schema.headers, facts);
  return {
    url: transformed.url,
    schema: {
      ...schema,
      // A public route needs no staff credential; the privacy portal's take its own session cookie.
      ...(facts.authenticated ? {} : { security: facts.portalSession ? [{ portalSession: [] }] : [] }),
      ...(headers ? { headers } : {}),
      response: { ...successResponses(schema.response ?? {}, schema.produces, facts), ...problemResponsesOf(problemCasesOf(facts), schemaRef(problemSchema)) },
    },
  };
};

const drpErrorCases: Record<string, string> = {
  '400': 'Not a signed message, a claim missing or malformed, issued-at in the future, expired, window too long, unsupported exercise',
  '401': 'No bearer token',
  '403': "Unknown or replaced token, unknown or inactive agent, bad signature, wrong agent-id or business-id, another agent's request",
  '404': 'No request with this id',
  '409': 'A replayed message, or a request already closed',
  '413': 'The body is too large',
  '415': 'The body is not text/plain',
  '429': 'Too many refused calls from this address (Retry-After says when to try again)',
};

/**
 * A Data Rights Protocol route (src/http/routes/drp.ts): its own security (the agent's bearer
 * token, or none for the key setup) and the protocol's JSON errors instead of problems.
 */
function drpDocumentation(schema: JsonSchema & { response?: Record<string, JsonSchema> }, drp: 'setup' | 'token', facts: RouteFacts): JsonSchema {
  if (drp === 'setup') {
    const refused = { description: 'The message failed validation (no body; the Candor-Refusal header says why)', type: 'null' };
    const limited = { description: drpErrorCases['429'], content: { 'application/json': { schema: { $ref: '#/components/schemas/DrpError' } } } };
    return { ...schema, security: [], response: { ...successResponses(schema.response ?? {}, undefined, facts), '403': refused, '429': limited } };
  }
  const statuses = [
    ...(facts.hasBody ? ['400', '413', '415'] : ['400']),
    '401',
    '403',
    ...(facts.url.startsWith('/v1/data-rights-request/') ? ['404'] : []),
    ...(facts.changesState ? ['409'] : []),
    '429',
  ];
  const errors = Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: drpErrorCases[status], content: { 'application/json': { schema: { $ref: '#/components/schemas/DrpError' } } } },
    ]),
  );
  return {
    ...schema,
    security: [{ drpAgentToken: [] }],
    response: { ...successResponses(schema.response ?? {}, undefined, facts), ...errors },
  };
}

/** Every `$ref` found in `value`. */
function referencesIn(value: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const item of value) referencesIn(item, found);
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') found.add(child);
      else referencesIn(child, found);
    }
  }
  return found;
}

/**
 * The registered schemas and the problem examples as components, keeping those the
 * operations use: the type provider emits each registered schema twice (for requests and
 * for responses), and most are used one way only.
 */
export const documentComponents: SwaggerTransformObject = (input) => {
  const document = jsonSchemaTransformObject(input) as { components?: { schemas?: Record<string, unknown> } };
  const { components, ...rest } = document;
  const available: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(components?.schemas ?? {})) available[`#/components/schemas/${name}`] = schema;
  for (const [name, example] of Object.entries(problemExamples())) available[`#/components/examples/${name}`] = example;
  const pending = [...referencesIn(rest, new Set())];
  const kept = new Set<string>();
  while (pending.length > 0) {
    const ref = pending.pop()!;
    if (kept.has(ref) || !(ref in available)) continue;
    kept.add(ref);
    pending.push(...referencesIn(available[ref], new Set()));
  }
  const used = (prefix: string) =>
    Object.fromEntries(
      Object.entries(available).flatMap(([ref, value]) => (kept.has(ref) && ref.startsWith(prefix) ? [[ref.slice(prefix.length), value]] : [])),
    );
  return {
    ...document,
    components: { ...components, schemas: used('#/components/schemas/'), examples: used('#/components/examples/') },
  } as ReturnType<SwaggerTransformObject>;
};
