import type { FastifyInstance } from 'fastify';
import { DomainError } from '../shared/domainError.ts';
import { unstorableTextReason } from '../shared/storableText.ts';

/*
 * The one door for text PostgreSQL cannot store (U+0000, lone surrogates): every string in
 * every request's headers, path parameters, query and JSON body is checked by app-wide hooks,
 * so a route added tomorrow is covered without naming it. Headers are checked before
 * authentication reads them; the rest before schema validation.
 */

// Deeper JSON than this is refused: no Candor body nests past a few levels, and recursive
// code further on (hashing, serialising) must not meet a body built to exhaust the stack.
export const maxInputDepth = 32;

// A property name is shown in a field path only when it looks like a field name; any other
// name may itself be a personal value, so the path stops at its parent.
const fieldNamePattern = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

type Issue = { path: string[]; reason: string };

/** The first place in `input` PostgreSQL could not store, walked without recursion. */
export function firstUnstorable(input: unknown): Issue | null {
  const pending: Array<{ value: unknown; path: string[]; named: boolean; depth: number }> = [{ value: input, path: [], named: true, depth: 0 }];
  while (pending.length > 0) {
    const { value, path, named, depth } = pending.pop()!;
    if (typeof value === 'string') {
      const reason = unstorableTextReason(value);
      if (reason) return { path, reason };
      continue;
    }
    // Raw bodies (Buffers of uploaded files) are bytes, not text fields.
    if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) continue;
    if (depth >= maxInputDepth) return { path, reason: `nested more than ${maxInputDepth} levels deep` };
    const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((item, index) => [String(index), item]) : Object.entries(value);
    for (const [key, item] of entries) {
      const keyReason = unstorableTextReason(key);
      if (keyReason) return { path, reason: `a property name ${keyReason}` };
      const showKey = named && (Array.isArray(value) || fieldNamePattern.test(key));
      pending.push({ value: item, path: showKey ? [...path, key] : path, named: showKey, depth: depth + 1 });
    }
  }
  return null;
}

/** Field paths in the form the schema validation errors use (src/http/problem.ts). */
function fieldOf(context: 'headers' | 'params' | 'querystring' | 'body', path: string[]): string {
  if (context === 'body') return path.length > 0 ? path.join('.') : 'body';
  return [context, ...path].join('.');
}

function refuseUnstorable(context: 'headers' | 'params' | 'querystring' | 'body', input: unknown): void {
  const issue = firstUnstorable(input);
  if (!issue) return;
  const field = fieldOf(context, issue.path);
  throw new DomainError('validation_failed', `${field}: ${issue.reason}`, [{ field, reason: issue.reason }]);
}

export function registerStorableInputGuard(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    refuseUnstorable('headers', request.headers);
  });
  app.addHook('preValidation', async (request) => {
    refuseUnstorable('params', request.params);
    refuseUnstorable('querystring', request.query);
    refuseUnstorable('body', request.body);
  });
}
