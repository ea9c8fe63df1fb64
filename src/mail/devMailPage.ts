// The demo mailbox page. Every stored value is escaped: subjects and bodies can hold
// anything a user typed (a display name, a workspace name), so nothing is trusted as HTML.

export type DevMailMessage = { id: string; recipient: string; subject: string; textBody: string; createdAt: Date };

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (character) => entities[character]);

// Applied to already-escaped text: a match cannot contain <, >, " or whitespace, and must
// start with http(s)://, so the href can neither break out of its attribute nor run script.
const linkify = (escaped: string) => escaped.replace(/https?:\/\/[^\s<>"]+/g, (url) => `<a href="${url}">${url}</a>`);

function renderMessage(message: DevMailMessage): string {
  return [
    '<article>',
    `<h2>${escapeHtml(message.subject)}</h2>`,
    `<p class="meta">To ${escapeHtml(message.recipient)} · ${escapeHtml(message.createdAt.toISOString())}</p>`,
    `<pre>${linkify(escapeHtml(message.textBody))}</pre>`,
    '</article>',
  ].join('\n');
}

export function renderDevMailPage(messages: DevMailMessage[]): string {
  const body = messages.length === 0 ? '<p>No mail yet.</p>' : messages.map(renderMessage).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Candor dev mailbox</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1d1d1f; }
article { border-top: 1px solid #ccc; padding: 0.5rem 0; }
h2 { font-size: 1.1rem; margin: 0.5rem 0 0; }
.meta { color: #666; margin: 0.2rem 0; }
pre { white-space: pre-wrap; word-break: break-all; background: #f6f6f6; padding: 0.75rem; }
</style>
</head>
<body>
<h1>Dev mailbox</h1>
<p>Mail Candor would have sent; shown because no SMTP server is configured (demo mode). Newest first. <a href="/dev/mail.json">JSON</a></p>
${body}
</body>
</html>
`;
}
