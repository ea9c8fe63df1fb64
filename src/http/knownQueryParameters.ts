import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { z } from 'zod';
import { DomainError, type FieldIssue } from '../shared/domainError.ts';
import { fieldNamePattern } from './storableInput.ts';

/*
 * The one door for query parameters a route does not take: `?updatedSince=…` on a list that
 * has no such filter is refused with 400 unknown_parameter naming it, instead of being
 * ignored so that the list silently answers another question than the one asked. Decided
 * here for every API route as it is registered (its querystring schema, or none), so a route
 * added tomorrow is covered without naming it; test/unknownQueryParameters.test.ts walks them.
 */

export const unknownParameterReason = 'unknown query parameter';

/** The routes this door guards: every API route (the app registers it for this prefix). */
export const apiPrefix = '/api/v1';

/** The names a route's querystring schema accepts; a route without one accepts none. */
export function acceptedQueryParameters(route: Pick<RouteOptions, 'method' | 'url' | 'schema'>): readonly string[] {
  const schema = route.schema?.querystring;
  if (schema === undefined) return [];
  // A schema this door cannot read would let every parameter through unchecked.
  if (!(schema instanceof z.ZodObject)) throw new Error(`${String(route.method)} ${route.url}: declare its querystring as a z.object`);
  return Object.keys(schema.shape);
}

/** The issues of the parameters in `query` that are not `accepted`; a name that does not look like one is not quoted. */
export function unknownParameterIssues(query: unknown, accepted: readonly string[]): FieldIssue[] {
  if (typeof query !== 'object' || query === null) return [];
  const unknown = Object.keys(query).filter((name) => !accepted.includes(name));
  // A name like `?ada@example.com` may itself be a personal value: the field stops at its parent.
  return unknown.map((name) => ({ field: fieldNamePattern.test(name) ? `querystring.${name}` : 'querystring', reason: unknownParameterReason }));
}

export function unknownParameterRefusal(issues: FieldIssue[], accepted: readonly string[]): DomainError {
  const takes = accepted.length > 0 ? `This route takes ${accepted.join(', ')}.` : 'This route takes no query parameters.';
  const names = issues.map((issue) => (issue.field === 'querystring' ? 'one whose name is not shown' : issue.field.slice('querystring.'.length)));
  return new DomainError('unknown_parameter', `Unknown query parameter: ${names.join(', ')}. ${takes}`, issues);
}

/** Adds the check to every route under `prefix` registered after this call, after the app-wide preValidation hooks. */
export function registerKnownQueryParameters(app: FastifyInstance, prefix: string): void {
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith(prefix)) return;
    const accepted = acceptedQueryParameters(route);
    const check = async (request: FastifyRequest) => {
      const issues = unknownParameterIssues(request.query, accepted);
      if (issues.length > 0) throw unknownParameterRefusal(issues, accepted);
    };
    const existing = route.preValidation === undefined ? [] : Array.isArray(route.preValidation) ? route.preValidation : [route.preValidation];
    route.preValidation = [check, ...existing];
  });
}
