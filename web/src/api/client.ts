import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { announcePurposeRefused, announceSessionEnded, requestContext } from './requestContext.ts';
import { endsSession } from './sessionEnd.ts';

/*
 * The one way the app talks to Candor: the public /api/v1 API through a client typed from its
 * OpenAPI document (schema.d.ts, generated), so the app can ask only what the API offers and
 * gets only what the API refuses or allows. Same origin, cookies included.
 */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The purpose header for a call made for `purpose` (data queries name theirs, so their cache key and header agree). */
export const forPurpose = (purpose: string) => ({ 'Candor-Purpose': purpose });

// The session generation each request was sent under (the same Request object reaches onResponse).
const sentInGeneration = new WeakMap<Request, number>();

const candorHeaders: Middleware = {
  onRequest({ request }) {
    sentInGeneration.set(request, requestContext.sessionGeneration);
    // Every request says why it is made; a data query has set its own already.
    if (!request.headers.has('Candor-Purpose') && requestContext.purpose) request.headers.set('Candor-Purpose', requestContext.purpose);
    // A call that names its own token (the privacy portal's session) keeps it.
    if (!safeMethods.has(request.method) && requestContext.csrfToken && !request.headers.has('X-CSRF-Token'))
      request.headers.set('X-CSRF-Token', requestContext.csrfToken);
    return request;
  },
  async onResponse({ request, response }) {
    // A refused session outside signing in means it ended (expired, or logged out elsewhere),
    // unless the request was sent under a session the user has since left.
    const answer = { status: response.status, path: new URL(request.url).pathname, sentInGeneration: sentInGeneration.get(request) ?? -1 };
    if (endsSession(answer, requestContext.sessionGeneration)) announceSessionEnded();
    if (response.status === 403) {
      const problem: unknown = await response.clone().json();
      if (problem !== null && typeof problem === 'object' && 'code' in problem && problem.code === 'purpose_not_granted') announcePurposeRefused();
    }
    return response;
  },
};

api.use(candorHeaders);
