// The pages a browser lands on until the web app arrives (the next release replaces them):
// the home page and the targets of the e-mailed invitation and password-reset links. They
// are static HTML: no inline script or style (the server's CSP allows only files from this
// origin), and no value from the request is ever written into them.

const page = (title: string, body: string, script = false) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Candor</title>
<link rel="stylesheet" href="/assets/landing.css">
${script ? '<script src="/assets/account-link.js" defer></script>\n' : ''}</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;

export const homePage = page(
  'Candor',
  `<h1>Candor</h1>
<p>An open-source CRM in which ethical data collection is enforced by the software: every request states its purpose, personal values are encrypted and policed by a privacy kernel, and every change is audited.</p>
<h2>Use it</h2>
<ul>
<li>The API and its documentation: <a href="/api/docs">/api/docs</a> (OpenAPI 3 at <a href="/api/openapi.json">/api/openapi.json</a>).</li>
<li>Log in with <code>POST /api/v1/auth/login</code> and <code>{"workspace": …, "email": …, "password": …}</code>, or call the API with a key: <code>Authorization: Bearer cnd_…</code> and a <code>Candor-Purpose</code> header.</li>
<li>In demo mode the start banner prints the demo password and a ready key per role; mail Candor sends is shown at <a href="/dev/mail">/dev/mail</a>.</li>
</ul>
<p>The web app comes in the next release and will replace this page.</p>`,
);

const passwordForm = (extraFields: string, button: string) => `<form id="account-link" hidden>
${extraFields}<label>Password (at least 12 characters) <input name="password" type="password" autocomplete="new-password" minlength="12" required></label>
<button type="submit">${button}</button>
</form>
<p id="outcome" role="status"></p>
<noscript><p>This page needs JavaScript to read the one-time link; or post the token to the API directly (see <a href="/api/docs">/api/docs</a>).</p></noscript>`;

export const acceptInvitationPage = page(
  'Accept your invitation',
  `<h1>Accept your invitation</h1>
<p>Choose the name others will see and your password. The link works once; afterwards you log in with your e-mail address and this password.</p>
${passwordForm('<label>Your name <input name="displayName" autocomplete="name" required></label>\n', 'Join the workspace')}`,
  true,
);

export const resetPasswordPage = page(
  'Choose a new password',
  `<h1>Choose a new password</h1>
<p>Setting a new password logs you out everywhere. The link works once; afterwards you log in with your e-mail address and the new password.</p>
${passwordForm('', 'Set the new password')}`,
  true,
);

export const landingStylesheet = `body { font-family: system-ui, sans-serif; max-width: 44rem; margin: 2rem auto; padding: 0 1rem; color: #1d1d1f; line-height: 1.5; }
code { background: #f3f3f3; padding: 0 0.2rem; }
label { display: block; margin: 0.75rem 0; }
input { display: block; width: 100%; max-width: 24rem; padding: 0.4rem; font: inherit; }
button { padding: 0.5rem 1rem; font: inherit; }
#outcome { font-weight: 600; }
`;

/*
 * The one-time token travels in the link's fragment (#token=…), which browsers never send to
 * a server: it reaches neither Candor's request log nor a proxy's, nor any Referer. This
 * script reads it, removes it from the address bar and history, and posts it with the form
 * to the API.
 */
export const accountLinkScript = `'use strict';
(() => {
  const form = document.getElementById('account-link');
  const outcome = document.getElementById('outcome');
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  history.replaceState(null, '', location.pathname);
  if (!token) {
    outcome.textContent = 'This link has no token. Open the link from your e-mail as it is.';
    return;
  }
  const invitation = location.pathname === '/accept-invitation';
  form.hidden = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const fields = Object.fromEntries(new FormData(form));
    const url = invitation ? '/api/v1/auth/accept-invitation' : '/api/v1/auth/password-reset/complete';
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...fields, token }) });
    if (response.ok) {
      form.hidden = true;
      outcome.textContent = invitation
        ? 'Welcome: your account is ready and you are logged in. The API documentation is at /api/docs.'
        : 'Your password is changed. Log in with it: POST /api/v1/auth/login (see /api/docs).';
      return;
    }
    const problem = await response.json().catch(() => ({}));
    const details = (problem.errors ?? []).map((error) => error.field + ': ' + error.message).join('; ');
    outcome.textContent = (problem.detail ?? problem.title ?? 'That did not work (' + response.status + ').') + (details ? ' ' + details : '');
  });
})();
`;
