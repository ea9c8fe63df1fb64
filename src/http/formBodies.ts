import type { FastifyInstance } from 'fastify';
import { DomainError } from '../shared/domainError.ts';

/*
 * Form bodies, for the few routes that take them: the e-mail link routes, whose callers are
 * a person's browser (an HTML form without script) and mail clients sending the RFC 8058
 * one-click POST, which the RFC lets them encode as application/x-www-form-urlencoded or
 * multipart/form-data. Registered inside those routes' plugin only (Fastify scopes content
 * type parsers to the plugin), so every other route still takes JSON alone. Text fields
 * only, small bodies only; repeated names keep the first value.
 */

const formBodyLimit = 8 * 1024;

export function parseUrlEncoded(body: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(body)) if (!(name in fields)) fields[name] = value;
  return fields;
}

const boundaryOf = (contentType: string) => /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);

/** The text fields of a multipart/form-data body (RFC 7578); files are not taken. */
export function parseMultipart(body: string, contentType: string): Record<string, string> {
  const match = boundaryOf(contentType);
  if (!match) throw new DomainError('validation_failed', 'A multipart body needs a boundary.', [{ field: 'Content-Type', reason: 'no boundary' }]);
  const boundary = `--${match[1] ?? match[2]}`;
  const fields: Record<string, string> = {};
  for (const part of body.split(boundary).slice(1)) {
    if (part.startsWith('--')) break;
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const head = part.slice(0, split);
    const name = /content-disposition:[^\r\n]*;\s*name="([^"]*)"/i.exec(head)?.[1];
    if (name === undefined || /filename=/i.test(head) || name in fields) continue;
    fields[name] = part.slice(split + 4).replace(/\r\n$/, '');
  }
  return fields;
}

/** Lets the routes of this plugin take form bodies. */
export function acceptFormBodies(app: FastifyInstance): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: formBodyLimit }, (_request, body, done) => {
    done(null, parseUrlEncoded(body as string));
  });
  app.addContentTypeParser('multipart/form-data', { parseAs: 'string', bodyLimit: formBodyLimit }, (request, body, done) => {
    try {
      done(null, parseMultipart(body as string, request.headers['content-type'] ?? ''));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
