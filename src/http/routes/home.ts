import { accountLinkScript, acceptInvitationPage, homePage, landingStylesheet, resetPasswordPage } from '../pages/landingPages.ts';
import { routePlugin } from './routePlugin.ts';

// The pages a browser lands on until the web app arrives: the address Candor prints on start
// and the links in its e-mails open a page saying what to do, not a 401.
const htmlPages = { '/': homePage, '/accept-invitation': acceptInvitationPage, '/reset-password': resetPasswordPage };
const assets = {
  '/assets/landing.css': { type: 'text/css; charset=utf-8', body: landingStylesheet },
  '/assets/account-link.js': { type: 'text/javascript; charset=utf-8', body: accountLinkScript },
};

export const homeRoutes = routePlugin(async (app) => {
  for (const [url, html] of Object.entries(htmlPages)) {
    app.get(url, { config: { public: true }, schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(html));
  }
  for (const [url, asset] of Object.entries(assets)) {
    app.get(url, { config: { public: true }, schema: { hide: true } }, async (_request, reply) =>
      reply.type(asset.type).header('cache-control', 'public, max-age=300').send(asset.body),
    );
  }
}, '');
