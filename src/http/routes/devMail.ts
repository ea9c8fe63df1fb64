import { z } from 'zod';
import { devMailboxServed } from '../../mail/createMailer.ts';
import { renderDevMailPage } from '../../mail/devMailPage.ts';
import { listDevMail } from '../../mail/devMailbox.ts';
import { uuid } from '../openapi/components.ts';
import { routePlugin } from './routePlugin.ts';

const limitQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });

/**
 * The dev mailbox at /dev/mail, registered only in demo mode without SMTP: there it is the
 * one way to read invitation and reset mail, so it needs no login. Never served otherwise.
 */
export const devMailRoutes = routePlugin(async (app, deps) => {
  if (!devMailboxServed(deps.config)) return;

  app.get(
    '/dev/mail',
    {
      config: { public: true },
      schema: {
        operationId: 'showDevMailbox',
        tags: ['dev'],
        summary: 'Demo mode: mail Candor would have sent, as an HTML page',
        produces: ['text/html'],
        security: [],
        querystring: limitQuery,
      },
    },
    async (request, reply) => {
      const messages = await listDevMail(deps.database.db, request.query.limit);
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
        .header('cache-control', 'no-store')
        .send(renderDevMailPage(messages));
    },
  );

  app.get(
    '/dev/mail.json',
    {
      config: { public: true },
      schema: {
        operationId: 'listDevMail',
        tags: ['dev'],
        summary: 'Demo mode: mail Candor would have sent, newest first',
        security: [],
        querystring: limitQuery,
        response: {
          200: z.object({ data: z.array(z.object({ id: uuid, to: z.string(), subject: z.string(), text: z.string(), createdAt: z.date() })) }),
        },
      },
    },
    async (request, reply) => {
      const messages = await listDevMail(deps.database.db, request.query.limit);
      reply.header('cache-control', 'no-store');
      return {
        data: messages.map((message) => ({
          id: message.id,
          to: message.recipient,
          subject: message.subject,
          text: message.textBody,
          createdAt: message.createdAt,
        })),
      };
    },
  );
}, '');
