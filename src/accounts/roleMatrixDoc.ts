import { resources, roleMatrix, roles, verbs, type Resource, type Role } from '../shared/roles.ts';

// docs/roles.md is rendered from roleMatrix so the documentation cannot drift from what the
// API enforces; test/roleMatrixDoc.test.ts compares the file with this output.

export const roleMatrixDocPath = 'docs/roles.md';

const roleDescriptions: Record<Role, string> = {
  admin: 'configures the workspace: users, API keys, webhooks, purposes; may do everything',
  privacy_officer:
    'oversees personal data: reads every kind of record, runs erasure (deletes contacts, events, visitors), manages purposes and writes their notices, handles rights requests, places legal holds and runs the retention sweep, reads the audit trail, the consent dashboard and the key-epoch status; does not sell',
  sales: 'works contacts, companies, deals, activities and purchases; imports and exports',
  support: 'helps customers: reads and updates contacts and activities',
  marketing: 'works contacts, behavioural events and visitor profiles; segments and e-mail campaigns; imports and exports',
  analyst: "reads aggregates and pipelines only: never a person's record, never deletes",
};

const resourceDescriptions: Record<Resource, string> = {
  contact: 'contacts (people)',
  company: 'companies',
  deal: 'deals',
  pipeline: 'pipelines and their stages',
  activity: 'notes, calls, e-mails, meetings, tasks',
  purchase: 'purchases and line items',
  event: 'behavioural events',
  visitor: 'pseudonymous visitor profiles',
  custom_field: 'custom field definitions',
  import: 'CSV imports',
  export: 'CSV/JSON exports',
  segment: 'saved segments of contacts (filters over non-personal keys and consent states)',
  campaign: 'e-mail campaigns to a segment: W writes, schedules and cancels them',
  request:
    "data-subject rights requests: R reads the queue and a requester's identity, W enters, verifies, extends, completes and denies them and edits the holidays deadlines skip",
  aggregate: 'counts and sums, no individual records',
  consent_statistics: 'the consent dashboard: counts of the consent ledger per purpose over time, renewals due',
  user: 'staff accounts and invitations',
  api_key: 'API keys',
  webhook: 'webhook subscriptions and delivery logs',
  purpose: 'processing purposes',
  notice: "each purpose's plain-language notice, in versions: W writes and publishes the draft",
  role_grant: 'which purposes each role may act for',
  catalog: 'the data catalog: how each personal field is declared',
  audit: 'the audit trail',
  vault: 'key epochs: the current one, erasures waiting for the next advance, the erasure window',
  workspace: "the workspace's settings (name, default phone region)",
  legal_hold: 'legal holds (Art. 17(3)): W places and releases them; a held subject is never erased',
  retention: 'the retention sweep: R previews what would go and reads the proofs of deletion, W runs it',
};

const verbLetter = { read: 'R', write: 'W', delete: 'D' } as const;

function cell(role: Role, resource: Resource): string {
  const allowed = verbs.filter((verb) => roleMatrix[role].has(`${resource}:${verb}`));
  return allowed.length === 0 ? '—' : allowed.map((verb) => verbLetter[verb]).join(' ');
}

export function renderRoleMatrixMarkdown(): string {
  const header = `| resource | ${roles.join(' | ')} |`;
  const rule = `|---|${roles.map(() => ':-:').join('|')}|`;
  const rows = resources.map(
    (resource) => `| \`${resource}\` — ${resourceDescriptions[resource]} | ${roles.map((role) => cell(role, resource)).join(' | ')} |`,
  );
  return [
    '# Roles and what they may do',
    '',
    '<!-- Generated from roleMatrix in src/shared/roles.ts by `npx tsx src/accounts/writeRoleMatrixDoc.ts`; do not edit by hand. -->',
    '',
    'Every API request is checked against this matrix before anything else happens: a role',
    'that lacks an action gets `403 forbidden`. API keys carry a role of their own; browser',
    "sessions act with their user's role. **R** = read, **W** = create and update, **D** = delete, **—** = nothing.",
    '',
    header,
    rule,
    ...rows,
    '',
    '## The roles',
    '',
    ...roles.map((role) => `- \`${role}\`: ${roleDescriptions[role]}.`),
    '',
    "The role decides which actions are possible at all. Whether a particular person's data may",
    "be used also depends on the purpose named in `Candor-Purpose` and on that person's consent;",
    'the privacy kernel decides that per request. A role may act only for the purposes its',
    'workspace grants it (`GET /api/v1/role-grants`; admins change them with',
    '`PUT /api/v1/role-grants/{role}`); acting for any other purpose is refused with',
    '`403 purpose_not_granted`.',
    '',
  ].join('\n');
}
