/*
 * The routes that need no purpose, in one place. Every other route reads or writes people's
 * data (contacts, companies, deals, activities, purchases, events, visitors, imports,
 * exports) and is refused with 400 purpose_required before its handler runs when the
 * request names no purpose (Candor-Purpose header, or the API key's default purpose).
 *
 * A route belongs here only when it touches no customer's personal data: signing in,
 * health and documentation, the workspace's configuration (purposes, role grants,
 * pipelines, custom-field definitions, webhooks, API keys, staff accounts) and the audit
 * trail, which holds names, codes and keyed pseudonyms but never a value.
 * test/purposeRequired.test.ts walks every registered route: each one is listed here or
 * refuses a request without a purpose, so a new route cannot silently skip the rule.
 */

export type PurposeFreeRoute = {
  /** `METHOD url` with the route's URL pattern (request.routeOptions.url); a trailing `*` matches a prefix. */
  route: string;
  why: string;
  /** Registered only in demo mode (the dev mailbox). */
  demoOnly?: boolean;
};

const signIn = "signing in and out: the caller's own account, no customer data";
const docs = 'health and API documentation';
const configuration = 'workspace configuration: names, keys and rules, no customer data';
const views = "the caller's own saved list settings: filters on non-personal attributes, a sort and column names, no customer data";
const notices = "the words of a purpose's notice, the same for everyone it concerns: no customer data";
const segmentsAndCampaigns =
  'segments and campaigns: filters, marketing text and delivery counts, no customer data; the kernel decides whom a campaign reaches';
const holdsAndRetention = 'legal holds and retention: subject ids, case references, counts and keyed pseudonyms, never a personal value; audited';
const requestHolidays = 'the holidays business-day deadlines skip: dates and names of public holidays, no customer data';
const drpAgents = "authorised agents of the Data Rights Protocol and the workspace's business id: ids, public keys and callback URLs, no customer data";
const staff = "staff accounts and API keys: administration of the workspace's own users";

export const purposeFreeRoutes: readonly PurposeFreeRoute[] = [
  { route: 'GET /', why: "the web app's page, the same for every visitor; the app reads data through the API" },
  { route: 'GET /assets/*', why: "the web app's script, style and image files" },
  { route: 'GET /widget/consent.js', why: 'the consent widget other sites embed: one script file, the same for everyone' },
  { route: 'GET /api/openapi.json', why: docs },
  { route: 'GET /api/docs*', why: docs },
  { route: 'GET /api/v1/health', why: docs },
  {
    route: 'GET /.well-known/gpc.json',
    why: 'the Global Privacy Control support statement: the same two constants for every visitor, no customer data',
  },
  { route: 'GET /dev/mail', why: 'demo mailbox of staff invitations and password resets', demoOnly: true },
  { route: 'GET /dev/mail.json', why: 'demo mailbox of staff invitations and password resets', demoOnly: true },

  { route: 'POST /api/v1/auth/login', why: signIn },
  { route: 'POST /api/v1/auth/logout', why: signIn },
  { route: 'GET /api/v1/auth/me', why: signIn },
  { route: 'POST /api/v1/auth/accept-invitation', why: signIn },
  { route: 'POST /api/v1/auth/password-reset', why: signIn },
  { route: 'POST /api/v1/auth/password-reset/complete', why: signIn },

  { route: 'GET /api/v1/purposes', why: 'the list a caller needs to choose a purpose' },
  { route: 'GET /api/v1/workspace', why: configuration },
  { route: 'PATCH /api/v1/workspace', why: configuration },
  { route: 'POST /api/v1/purposes', why: configuration },
  { route: 'PATCH /api/v1/purposes/:key', why: configuration },
  { route: 'GET /api/v1/purposes/:key/notices', why: notices },
  { route: 'GET /api/v1/purposes/:key/notices/current', why: notices },
  { route: 'PUT /api/v1/purposes/:key/notices/draft', why: notices },
  { route: 'DELETE /api/v1/purposes/:key/notices/draft', why: notices },
  { route: 'POST /api/v1/purposes/:key/notices/draft/publish', why: notices },
  { route: 'GET /api/v1/catalog', why: configuration },
  { route: 'PUT /api/v1/catalog/:object/:field', why: configuration },
  { route: 'GET /api/v1/role-grants', why: configuration },
  { route: 'PUT /api/v1/role-grants/:role', why: configuration },
  { route: 'GET /api/v1/pipelines', why: configuration },
  { route: 'POST /api/v1/pipelines', why: configuration },
  { route: 'GET /api/v1/pipelines/:id', why: configuration },
  { route: 'PATCH /api/v1/pipelines/:id', why: configuration },
  { route: 'DELETE /api/v1/pipelines/:id', why: configuration },
  { route: 'GET /api/v1/custom-fields', why: configuration },
  { route: 'POST /api/v1/custom-fields', why: configuration },
  // Deleting a definition also removes its stored values: erasure, not processing for a purpose.
  { route: 'DELETE /api/v1/custom-fields/:object/:key', why: configuration },
  { route: 'POST /api/v1/webhooks', why: configuration },
  { route: 'GET /api/v1/webhooks', why: configuration },
  { route: 'GET /api/v1/webhooks/:id', why: configuration },
  { route: 'PATCH /api/v1/webhooks/:id', why: configuration },
  { route: 'DELETE /api/v1/webhooks/:id', why: configuration },
  // Webhook payloads carry ids and field names only, never values.
  { route: 'GET /api/v1/webhooks/:id/deliveries', why: configuration },
  { route: 'POST /api/v1/webhooks/:id/test', why: configuration },

  { route: 'POST /api/v1/api-keys', why: staff },
  { route: 'GET /api/v1/api-keys', why: staff },
  { route: 'GET /api/v1/api-keys/:id', why: staff },
  { route: 'DELETE /api/v1/api-keys/:id', why: staff },
  { route: 'GET /api/v1/users', why: staff },
  { route: 'GET /api/v1/users/:id', why: staff },
  { route: 'POST /api/v1/users/invitations', why: staff },
  { route: 'PATCH /api/v1/users/:id', why: staff },
  { route: 'POST /api/v1/users/:id/deactivate', why: staff },
  { route: 'POST /api/v1/users/:id/reactivate', why: staff },
  { route: 'POST /api/v1/users/:id/unlock', why: staff },

  { route: 'GET /api/v1/audit', why: 'accountability: entries hold field names and keyed pseudonyms, never values' },
  { route: 'GET /api/v1/audit/verify', why: 'accountability: recomputes hashes, returns no entry' },
  { route: 'GET /api/v1/views', why: views },
  { route: 'POST /api/v1/views', why: views },
  { route: 'GET /api/v1/views/:id', why: views },
  { route: 'PATCH /api/v1/views/:id', why: views },
  { route: 'DELETE /api/v1/views/:id', why: views },

  // The person an e-mail was sent to, through its link: a one-time confirmation or a signed
  // unsubscribe link, naming no one in the answer. The link, not a purpose header, says what for.
  { route: 'GET /api/v1/consents/confirm', why: 'double opt-in: a page with a button, reads and records nothing' },
  { route: 'POST /api/v1/consents/confirm', why: "double opt-in: the person confirms their own consent; the link's purpose is the one confirmed" },
  // The person an access export was made for, through the single-use link staff gave them: the
  // link names one export of one person, made under dsr_fulfilment; the download is audited so.
  {
    route: 'GET /api/v1/access-export-downloads/:token',
    why: 'a person fetching their own access export through its single-use, 15-minute link (dsr_fulfilment, named by the link); rate-limited per client',
  },
  { route: 'GET /api/v1/unsubscribe/:token', why: 'one-click unsubscribe: a page with a button, records nothing' },
  { route: 'POST /api/v1/unsubscribe/:token', why: 'one-click unsubscribe (RFC 8058): the person withdraws or objects; the signed link names the purpose' },
  // Anyone holding a receipt may check it: the answer names the event and the purpose, never the person.
  { route: 'POST /api/v1/consent-receipts/verify', why: 'verifying a consent receipt the caller already holds; answers valid/live, no personal data' },
  { route: 'GET /.well-known/candor-receipt-keys.json', why: 'the public keys that verify consent receipts (JWK Set), no customer data' },
  { route: 'GET /api/v1/form-keys', why: configuration },
  { route: 'POST /api/v1/form-keys', why: configuration },
  { route: 'POST /api/v1/form-keys/:id/rotate', why: configuration },
  { route: 'DELETE /api/v1/form-keys/:id', why: configuration },
  // A public form acts for the purposes its key serves and the person consents to, each
  // decided per field by src/privacy/collection.ts: no single request purpose fits.
  { route: 'POST /api/v1/collect', why: "a public form's submission: each field is stored only for a purpose whose basis holds, decided per field" },
  { route: 'OPTIONS /api/v1/collect', why: 'the CORS preflight of a public form: no data' },
  { route: 'GET /api/v1/collect/notices', why: "the consent widget's notices under a form key: workspace configuration, no personal data" },
  { route: 'OPTIONS /api/v1/collect/notices', why: "the CORS preflight of the consent widget's notices: no data" },
  // A segment is a filter over non-personal keys and consent states; a campaign is staff-written
  // marketing text with counts. Their previews and sends read people, each under its purpose.
  { route: 'GET /api/v1/segments', why: segmentsAndCampaigns },
  { route: 'POST /api/v1/segments', why: segmentsAndCampaigns },
  { route: 'GET /api/v1/segments/:id', why: segmentsAndCampaigns },
  { route: 'PATCH /api/v1/segments/:id', why: segmentsAndCampaigns },
  { route: 'DELETE /api/v1/segments/:id', why: segmentsAndCampaigns },
  { route: 'GET /api/v1/campaigns', why: segmentsAndCampaigns },
  { route: 'POST /api/v1/campaigns', why: segmentsAndCampaigns },
  { route: 'GET /api/v1/campaigns/:id', why: segmentsAndCampaigns },
  { route: 'PATCH /api/v1/campaigns/:id', why: segmentsAndCampaigns },
  { route: 'DELETE /api/v1/campaigns/:id', why: segmentsAndCampaigns },
  { route: 'POST /api/v1/campaigns/:id/schedule', why: segmentsAndCampaigns },
  { route: 'POST /api/v1/campaigns/:id/cancel', why: segmentsAndCampaigns },
  { route: 'POST /api/v1/legal-holds', why: holdsAndRetention },
  { route: 'GET /api/v1/legal-holds', why: holdsAndRetention },
  { route: 'POST /api/v1/legal-holds/:id/release', why: holdsAndRetention },
  // The privacy portal: a person asks for their own rights and proves they hold the address.
  // The request is received for legal_compliance (Candor's own obligation), whatever the caller.
  { route: 'POST /api/v1/portal/:workspace/requests', why: "a person's own rights request: handled for legal_compliance, the answer names no one" },
  {
    route: 'POST /api/v1/portal/:workspace/requests/:id/verify',
    why: 'the requester proves they hold the address with the mailed code; answers ids and a state',
  },
  { route: 'POST /api/v1/portal/:workspace/requests/:id/resend', why: 'a new code mailed to the address the request was made with; answers ids and a state' },
  { route: 'GET /api/v1/portal/verify', why: "a verification link's page with a button: reads and records nothing" },
  { route: 'POST /api/v1/portal/verify', why: 'the requester proves they hold the address with the mailed link; answers ids and a state' },
  // The customer privacy portal's sessions: a person signs in with a mailed code and sees and
  // manages what is held on them. Each reads and writes only the signed-in person's own data,
  // for the purpose of the right it serves (dsr_fulfilment, legal_compliance, or the purpose
  // a consent is about), decided in src/privacy/portal/, never the caller's choice.
  { route: 'POST /api/v1/portal/:workspace/sign-in', why: 'a sign-in code mailed to the address typed; answers an id, the same whoever holds it' },
  { route: 'POST /api/v1/portal/:workspace/sign-in/:signInId/verify', why: 'the person proves they hold the address with the mailed code; answers a session' },
  { route: 'GET /api/v1/portal/:workspace/me', why: 'the signed-in person’s own address, shown back to them' },
  { route: 'POST /api/v1/portal/:workspace/sign-out', why: "ending the person's own portal session" },
  { route: 'GET /api/v1/portal/:workspace/me/data', why: "the person's own data, read for dsr_fulfilment by the kernel's subject access" },
  { route: 'PUT /api/v1/portal/:workspace/me/consents/:purposeKey', why: "the person's own consent choice, recorded for the purpose it is about" },
  { route: 'GET /api/v1/portal/:workspace/me/requests', why: "the person's own rights requests, read for legal_compliance" },
  { route: 'POST /api/v1/portal/:workspace/me/requests', why: "the person's own rights request, received for legal_compliance and verified by the session" },
  {
    route: 'GET /api/v1/portal/:workspace/me/agent-requests/:requestId',
    why: "an authorised agent's request naming the person's own address, read for legal_compliance",
  },
  {
    route: 'POST /api/v1/portal/:workspace/me/agent-requests/:requestId/verify',
    why: "the person verifies an authorised agent's request naming their own address, for legal_compliance",
  },
  { route: 'POST /api/v1/portal/:workspace/me/access-exports', why: "a copy of the person's own data, made for dsr_fulfilment" },
  { route: 'GET /api/v1/portal/:workspace/me/access-exports', why: "the person's own copies: formats, states and dates" },
  {
    route: 'POST /api/v1/portal/:workspace/me/access-exports/:exportId/download-links',
    why: "a single-use link to one of the person's own copies, made for dsr_fulfilment",
  },
  // The working calendar of rights-request deadlines: public holidays' dates and names.
  { route: 'GET /api/v1/requests/holidays', why: requestHolidays },
  { route: 'PUT /api/v1/requests/holidays/:jurisdiction/:date', why: requestHolidays },
  { route: 'DELETE /api/v1/requests/holidays/:jurisdiction/:date', why: requestHolidays },
  { route: 'GET /api/v1/retention/preview', why: holdsAndRetention },
  { route: 'GET /api/v1/retention/proofs', why: holdsAndRetention },
  { route: 'GET /api/v1/keys', why: 'accountability: key epochs and counts of erasures, never who was erased' },
  // The Data Rights Protocol (src/http/routes/drp.ts): authorised agents registered by an admin,
  // authenticated by their signature and bearer token, acting for people's rights. Requests are
  // handled for legal_compliance (Candor's own obligation), as the portal's are.
  { route: 'GET /api/v1/drp-agents', why: drpAgents },
  { route: 'POST /api/v1/drp-agents', why: drpAgents },
  { route: 'GET /api/v1/drp-agents/:id', why: drpAgents },
  { route: 'PATCH /api/v1/drp-agents/:id', why: drpAgents },
  { route: 'GET /api/v1/drp-business', why: drpAgents },
  { route: 'POST /v1/agent/:id', why: "an agent's signed key setup: ids and timestamps in, a bearer token out; no customer data" },
  { route: 'GET /v1/agent/:id', why: 'an agent checks its bearer token: answers {}, no customer data' },
  {
    route: 'POST /v1/data-rights-request',
    why: "an agent's signed rights request for a person it represents: handled for legal_compliance, the answer names no one",
  },
  { route: 'GET /v1/data-rights-request/:id', why: "the status of an agent's own request: ids, a state and dates, handled for legal_compliance" },
  { route: 'DELETE /v1/data-rights-request/:id', why: 'an agent revokes its own request (signed): handled for legal_compliance, answers ids and a state' },
];

const exact = new Set(purposeFreeRoutes.filter((entry) => !entry.route.endsWith('*')).map((entry) => entry.route));
const prefixes = purposeFreeRoutes.filter((entry) => entry.route.endsWith('*')).map((entry) => entry.route.slice(0, -1));

/** Whether the route (method and URL pattern) may run without a purpose. HEAD follows GET. */
export function isPurposeFree(method: string, url: string): boolean {
  const route = `${method === 'HEAD' ? 'GET' : method} ${url}`;
  return exact.has(route) || prefixes.some((prefix) => route.startsWith(prefix));
}
