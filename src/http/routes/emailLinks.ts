import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { clientAttempt, consumeAttempts, forgiveAttempts, throttleRules, type Attempt } from '../../accounts/throttles.ts';
import { rateLimitKey } from '../../platform/rateLimit.ts';
import { confirmDoubleOptIn } from '../../privacy/doubleOptIn.ts';
import { unsubscribe } from '../../privacy/unsubscribe.ts';
import { verifyUnsubscribeToken, type UnsubscribeLink } from '../../privacy/unsubscribeLinks.ts';
import { DomainError } from '../../shared/domainError.ts';
import { refuseWithPage, sendLinkPage, wantsPage, type LinkPage } from '../emailLinkPages.ts';
import { acceptFormBodies } from '../formBodies.ts';
import { apiPrefix } from '../knownQueryParameters.ts';
import { routePlugin } from './routePlugin.ts';

/*
 * The links in e-mail, used by the person it was sent to, without an account: the double
 * opt-in confirmation and the RFC 8058 one-click unsubscribe. Opening a link (GET) only
 * shows a page with a button, because mail scanners fetch links; the button, or the mail
 * client's one-click POST, does the work. The token in the URL is no personal data (random
 * ids and a secret or a signature). Answers name no person. Failed tokens are throttled per
 * client; uses of one unsubscribe link per link.
 */

const tokenQuery = z.object({ token: z.string().min(1).max(200).describe('The token of the confirmation link') });
const unsubscribeParams = z.object({ token: z.string().min(1).max(200).describe('The signed token of the unsubscribe link') });
const oneClickBody = z.object({
  'List-Unsubscribe': z.literal('One-Click').describe('RFC 8058: the one-click POST carries List-Unsubscribe=One-Click'),
});
const formBodies = ['application/x-www-form-urlencoded', 'multipart/form-data', 'application/json'];

const confirmedSchema = z.object({
  data: z.object({ purposeKey: z.string(), state: z.literal('given'), confirmedAt: z.string(), expiresAt: z.string().nullable() }),
});
const unsubscribedSchema = z.object({
  data: z.object({ unsubscribed: z.literal(true).describe('Always true: the link now stops this e-mail, whether or not it already had') }),
});

const invalidUnsubscribeLink = () => new DomainError('not_found', 'This unsubscribe link is not one Candor sent: it may be incomplete or altered.');
const unsubscribeAction = (token: string) => `${apiPrefix}/unsubscribe/${encodeURIComponent(token)}`;

const refuse = refuseWithPage;

export const emailLinkRoutes = routePlugin(async (app, deps) => {
  acceptFormBodies(app);
  const failedLinks = (request: FastifyRequest): Attempt[] => [clientAttempt(throttleRules.emailLinkPerClient, request.ip)];

  /** Verifies the token, counting a failure against the client; 404 when it is not a link Candor signed. */
  async function unsubscribeLinkOf(request: FastifyRequest, token: string): Promise<UnsubscribeLink> {
    const attempts = failedLinks(request);
    await consumeAttempts(deps.database.db, attempts, 'Too many invalid links from this address; wait before trying again.');
    const link = await verifyUnsubscribeToken(deps.database.db, token);
    if (!link) throw invalidUnsubscribeLink();
    await forgiveAttempts(deps.database.db, attempts);
    return link;
  }

  app.get(
    '/consents/confirm',
    {
      config: { public: true },
      schema: {
        operationId: 'showConsentConfirmation',
        tags: ['consents'],
        summary: 'Double opt-in: the page a confirmation link opens, with a button that confirms (opening the link alone confirms nothing)',
        produces: ['text/html'],
        security: [],
        querystring: tokenQuery,
      },
    },
    async (request, reply) =>
      sendLinkPage(reply, 200, {
        title: 'Confirm your consent',
        message: 'Press the button to confirm that you want this e-mail. Nothing is recorded until you do.',
        form: { action: `${apiPrefix}/consents/confirm`, fields: { token: request.query.token }, button: 'Yes, I confirm' },
      }),
  );

  app.post(
    '/consents/confirm',
    {
      config: { public: true, problems: ['rate_limited', 'not_found'] },
      schema: {
        operationId: 'confirmConsent',
        tags: ['consents'],
        summary: "Double opt-in: confirm with the link's token; records the consent as given (channel email_link)",
        description:
          "The link works once and expires (48 hours by default, CANDOR_DOUBLE_OPT_IN_HOURS); an altered, used or expired link is 422 naming token with its reason. Takes a form body (the page's button) or JSON. A browser asking for text/html gets a page.",
        consumes: formBodies,
        security: [],
        body: tokenQuery,
        response: { 200: confirmedSchema },
      },
    },
    async (request, reply) => {
      const attempts = failedLinks(request);
      try {
        await consumeAttempts(deps.database.db, attempts, 'Too many invalid links from this address; wait before trying again.');
        const event = await confirmDoubleOptIn(deps.database, request.body.token);
        await forgiveAttempts(deps.database.db, attempts);
        if (wantsPage(request)) {
          return sendLinkPage(reply, 200, { title: 'Thank you', message: 'Your consent is confirmed. Every e-mail we send you has a link to stop it again.' });
        }
        return {
          data: {
            purposeKey: event.purposeKey,
            state: 'given' as const,
            confirmedAt: event.recordedAt.toISOString(),
            expiresAt: event.expiresAt?.toISOString() ?? null,
          },
        };
      } catch (error) {
        return refuse(request, reply, error, 'This link cannot be used');
      }
    },
  );

  app.get(
    '/unsubscribe/:token',
    {
      config: { public: true, problems: ['rate_limited', 'not_found'] },
      schema: {
        operationId: 'showUnsubscribe',
        tags: ['consents'],
        summary: 'The page an unsubscribe link opens, with a button that unsubscribes (opening the link alone changes nothing)',
        produces: ['text/html'],
        security: [],
        params: unsubscribeParams,
      },
    },
    async (request, reply) => {
      try {
        await unsubscribeLinkOf(request, request.params.token);
      } catch (error) {
        return refuse(request, reply, error, 'This link cannot be used');
      }
      const page: LinkPage = {
        title: 'Unsubscribe',
        message: 'Press the button and you will receive no more of these e-mails. It takes effect at once.',
        form: { action: unsubscribeAction(request.params.token), fields: { 'List-Unsubscribe': 'One-Click' }, button: 'Unsubscribe' },
      };
      return sendLinkPage(reply, 200, page);
    },
  );

  app.post(
    '/unsubscribe/:token',
    {
      config: { public: true, problems: ['rate_limited', 'not_found'] },
      schema: {
        operationId: 'unsubscribe',
        tags: ['consents'],
        summary: "RFC 8058 one-click unsubscribe: withdraws consent to the link's purpose, or records an objection on legitimate interests",
        description:
          'Send List-Unsubscribe=One-Click as application/x-www-form-urlencoded or multipart/form-data. Idempotent; takes effect at the next decision. Answers 200 naming no one; an altered link is 404.',
        consumes: formBodies,
        security: [],
        params: unsubscribeParams,
        body: oneClickBody,
        response: { 200: unsubscribedSchema },
      },
    },
    async (request, reply) => {
      try {
        const link = await unsubscribeLinkOf(request, request.params.token);
        const perLink = throttleRules.unsubscribePerLink;
        await consumeAttempts(
          deps.database.db,
          [{ rule: perLink, key: rateLimitKey(perLink.scope, request.params.token) }],
          'This link was used often enough; wait a while.',
        );
        await unsubscribe(deps.database, link, wantsPage(request) ? 'page' : 'one_click');
        if (wantsPage(request)) return sendLinkPage(reply, 200, { title: 'Unsubscribed', message: 'You will receive no more of these e-mails.' });
        return { data: { unsubscribed: true as const } };
      } catch (error) {
        return refuse(request, reply, error, 'This link cannot be used');
      }
    },
  );
});
