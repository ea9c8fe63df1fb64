import type { FastifyReply, FastifyRequest } from 'fastify';
import { escapeHtml } from '../mail/devMailPage.ts';
import { DomainError } from '../shared/domainError.ts';
import { statusOf } from './problem.ts';

/*
 * The small pages a person sees after clicking a link in an e-mail (double opt-in
 * confirmation, unsubscribe). Opening a link only shows a page with a button: mail scanners
 * and link previews fetch every link they see, so a GET must never confirm or unsubscribe;
 * the button POSTs. The pages name no person and no address, load nothing, run no script,
 * and may post only back to this server.
 */

const pagePolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export type LinkPage = {
  title: string;
  message: string;
  /** A button that POSTs `fields` (form-encoded) to `action`. */
  form?: { action: string; fields: Record<string, string>; button: string };
};

export function renderLinkPage(page: LinkPage): string {
  const form = page.form
    ? [
        `<form method="post" action="${escapeHtml(page.form.action)}">`,
        ...Object.entries(page.form.fields).map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`),
        `<button type="submit">${escapeHtml(page.form.button)}</button>`,
        '</form>',
      ].join('\n')
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(page.title)}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem; color: #1d1d1f; line-height: 1.5; }
button { font: inherit; padding: 0.6rem 1.2rem; border-radius: 0.4rem; border: 1px solid #1d4ed8; background: #1d4ed8; color: #fff; cursor: pointer; }
button:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
</style>
</head>
<body>
<main>
<h1>${escapeHtml(page.title)}</h1>
<p>${escapeHtml(page.message)}</p>
${form}
</main>
</body>
</html>
`;
}

/** Whether the caller is a browser that asked for a page (a form's POST) rather than an API client or a mail client. */
export function wantsPage(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return /\btext\/html\b/.test(accept);
}

/** Sends the page, bypassing the route's JSON serializer. */
export function sendLinkPage(reply: FastifyReply, statusCode: number, page: LinkPage): FastifyReply {
  return reply
    .code(statusCode)
    .type('text/html; charset=utf-8')
    .header('content-security-policy', pagePolicy)
    .header('cache-control', 'no-store')
    .serializer((payload: unknown) => String(payload))
    .send(renderLinkPage(page));
}

/** A refusal as a page for a person's browser; anything else (problem+json for API clients, other errors) is rethrown. */
export function refuseWithPage(request: FastifyRequest, reply: FastifyReply, error: unknown, title: string): FastifyReply {
  if (!(error instanceof DomainError) || !wantsPage(request)) throw error;
  const reason = error.issues[0]?.reason;
  return sendLinkPage(reply, statusOf(error.code), { title, message: reason ? `This link cannot be used: ${reason}.` : error.message });
}
