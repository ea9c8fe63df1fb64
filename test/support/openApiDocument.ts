import type { FastifyInstance } from 'fastify';

/*
 * The app's OpenAPI document as tests read it. The document refers to shared schemas with
 * $ref (components.schemas) and wraps a described or nullable reference in a one-member
 * allOf; tests that walk schemas (the fuzzer, shape checks) read them inlined.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A schema as the tests read it (OpenAPI 3.0: nullable, allOf, $ref). */
export type SchemaObject = {
  $ref?: string;
  type?: string;
  format?: string;
  pattern?: string;
  enum?: Json[];
  nullable?: boolean;
  allOf?: SchemaObject[];
  anyOf?: SchemaObject[];
  properties?: Record<string, SchemaObject>;
  required?: string[];
  items?: SchemaObject;
  additionalProperties?: boolean | SchemaObject;
  minLength?: number;
  maxLength?: number;
  description?: string;
};
export type ParameterObject = { name: string; in: 'path' | 'query' | 'header'; required?: boolean; description?: string; schema: SchemaObject };
export type MediaTypeObject = { schema?: SchemaObject; example?: Json; examples?: Record<string, { $ref?: string; summary?: string; value?: Json }> };
export type ResponseObject = {
  description: string;
  headers?: Record<string, { schema: SchemaObject; description?: string }>;
  content?: Record<string, MediaTypeObject>;
};
export type OperationObject = {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  parameters?: ParameterObject[];
  requestBody?: { required?: boolean; content: Record<string, MediaTypeObject> };
  responses: Record<string, ResponseObject>;
};
export type OpenApiDocument = {
  openapi: string;
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, SchemaObject>; examples?: Record<string, { summary?: string; value: Json }>; securitySchemes?: Record<string, Json> };
  security?: Array<Record<string, string[]>>;
};

export async function fetchOpenApiDocument(app: FastifyInstance): Promise<OpenApiDocument> {
  const response = await app.inject({ method: 'GET', url: '/api/openapi.json' });
  if (response.statusCode !== 200) throw new Error(`GET /api/openapi.json answered ${response.statusCode}`);
  return response.json();
}

const schemaPrefix = '#/components/schemas/';

function inline(value: Json, schemas: Record<string, Json>, depth: number): Json {
  if (Array.isArray(value)) return value.map((item) => inline(item, schemas, depth));
  if (value === null || typeof value !== 'object') return value;
  const { $ref, allOf, ...rest } = value;
  if (typeof $ref === 'string' && $ref.startsWith(schemaPrefix)) {
    if (depth > 20) throw new Error(`${$ref}: references nest deeper than 20 (a cycle?)`);
    const target = schemas[$ref.slice(schemaPrefix.length)];
    if (target === undefined) throw new Error(`${$ref} names no component`);
    // OpenAPI 3.0 ignores the siblings of a $ref.
    return inline(target, schemas, depth + 1);
  }
  const inlined: { [key: string]: Json } = {};
  for (const [key, child] of Object.entries(rest)) inlined[key] = inline(child, schemas, depth);
  if ($ref !== undefined) inlined.$ref = $ref;
  if (Array.isArray(allOf) && allOf.length === 1) {
    const member = inline(allOf[0], schemas, depth);
    return typeof member === 'object' && member !== null && !Array.isArray(member) ? { ...member, ...inlined } : inlined;
  }
  if (allOf !== undefined) inlined.allOf = inline(allOf, schemas, depth);
  return inlined;
}

/** The document's paths with every component schema written out where it is used. */
export function inlineSchemas(document: OpenApiDocument): OpenApiDocument {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Json>;
  return { ...document, paths: inline(document.paths as unknown as Json, schemas, 0) as unknown as OpenApiDocument['paths'] };
}
