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
export const fieldNamePattern = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

type Issue = { path: string[]; reason: string };

// A node of the walk; its path is built from the parents only when something is refused.
type Node = { value: unknown; key: string | null; parent: Node | null; named: boolean; depth: number };

function pathOf(node: Node): string[] {
  const path: string[] = [];
  for (let at: Node | null = node; at && at.key !== null; at = at.parent) if (at.named) path.push(at.key);
  return path.reverse();
}

/** The first place in `input` PostgreSQL could not store, walked without recursion. */
export function firstUnstorable(input: unknown): Issue | null {
  const pending: Node[] = [{ value: input, key: null, parent: null, named: true, depth: 0 }];
  while (pending.length > 0) {
    const node = pending.pop()!;
    const { value } = node;
    if (typeof value === 'string') {
      const reason = unstorableTextReason(value);
      if (reason) return { path: pathOf(node), reason };
      continue;
    }
    // Raw bodies (Buffers of uploaded files) are bytes, not text fields.
    if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) continue;
    if (node.depth >= maxInputDepth) return { path: pathOf(node), reason: `nested more than ${maxInputDepth} levels deep` };
    const isArray = Array.isArray(value);
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const keyReason = isArray ? null : unstorableTextReason(key);
      if (keyReason) return { path: pathOf(node), reason: `a property name ${keyReason}` };
      const named = node.named && (isArray || fieldNamePattern.test(key));
      pending.push({ value: record[key], key, parent: node, named, depth: node.depth + 1 });
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
