import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { selectRows } from '../../db/rows.ts';
import { isLegalBasis, legalBasisTerms, type SubjectAccess } from '../../kernel/index.ts';

/*
 * What GDPR Art. 15(1)(a)–(h) and 15(2) say a person must be told beside the copy of their
 * data: the purposes and each one's legal basis, the categories of data, the recipients or
 * categories of recipients, how long data is kept (or the criteria), their rights, where the
 * data came from when not from them, and whether decisions about them are automated. Built
 * from the workspace's configuration (purposes, role grants, webhooks) and the subject's own
 * records, so it names only what applies to this person.
 */

export type Art15Purpose = {
  key: string;
  description: string;
  legalBasis: string;
  /** GDPR Art. 6(1) letter and the W3C DPV terms. */
  article: string;
  dpv: string;
  /** Data categories (fideslang) of the person's values declared for it. */
  categories: string[];
  retentionDays: number | null;
  /** Roles of our staff who may act for it. */
  staffRoles: string[];
};

export type Art15Context = {
  controller: { name: string; region: string };
  purposes: Art15Purpose[];
  categories: string[];
  recipients: string[];
  retention: string[];
  source: string[];
  rights: string[];
  automatedDecisions: string;
};

const sourceWords: Record<string, string> = {
  form: 'You gave it to us through a form on our website.',
  import: 'It was imported from a file (a list kept by us or a partner), as recorded with the import.',
  api: 'It was sent to us by one of our systems connected to Candor.',
  staff: 'Our staff entered it, from what you told them.',
};

const rights = [
  'Rectification of inaccurate data (Art. 16).',
  'Erasure (Art. 17), unless the law requires us to keep it.',
  'Restriction of processing (Art. 18).',
  'Objection to processing based on legitimate interests, and at any time to direct marketing (Art. 21).',
  'Withdrawal of any consent at any time, without affecting processing before it (Art. 7(3)).',
  'A copy in a machine-readable format to give to another controller (Art. 20): the JSON or CSV form of this export.',
  'A complaint to a data protection supervisory authority (Art. 77).',
];

const dataUseRecipients: Array<[RegExp, string]> = [
  [/^marketing\.advertising\.third_party/, 'Advertising partners, for the targeted advertising you agreed to.'],
  [/^third_party_sharing/, 'Selected partners, for their own use, as you agreed to.'],
  [/^essential\.service\.payment_processing/, 'Payment and delivery providers, to fulfil your orders.'],
];

type ConfigRow = {
  workspace: { name: string; region: string } | null;
  purposes: Array<{ key: string; description: string; legalBasis: string; dataUse: string; retentionDays: number | null; roles: string[] }> | null;
  hooks: string[] | null;
};

/** The Art. 15 context of the subject's access export. One statement. */
export async function art15Context(executor: Executor, tenantId: string, access: SubjectAccess): Promise<Art15Context> {
  const [config] = await selectRows<ConfigRow>(
    executor,
    sql`select
      (select json_build_object('name', w.name, 'region', w.default_region) from workspaces w where w.id = ${tenantId}::uuid) as workspace,
      (select json_agg(json_build_object('key', p.key, 'description', p.description, 'legalBasis', p.legal_basis, 'dataUse', p.data_use,
                                         'retentionDays', p.retention_days,
                                         'roles', (select coalesce(json_agg(g.role order by g.role), '[]') from role_purpose_grants g
                                                   where g.tenant_id = p.tenant_id and g.purpose_key = p.key)) order by p.key)
       from purposes p where p.tenant_id = ${tenantId}::uuid) as purposes,
      (select json_agg(h.url) from webhook_subscriptions h where h.tenant_id = ${tenantId}::uuid and h.active) as hooks`,
  );
  const workspace = config?.workspace;
  const all = config?.purposes ?? [];
  const hooks = (config?.hooks ?? []).map((url) => ({ url }));

  // The purposes that concern this person: those their values are declared for, those their
  // consent ledger names, and dsr_fulfilment, under which this very copy was made.
  const concerned = new Set<string>([
    'dsr_fulfilment',
    ...access.fields.flatMap((field) => field.purposes),
    ...access.consents.map((event) => event.purposeKey),
  ]);
  if (access.purchases.length > 0) concerned.add('order_fulfilment');
  const chosen = all.filter((purpose) => concerned.has(purpose.key));
  const listed: Art15Purpose[] = chosen.map((purpose) => {
    const terms = isLegalBasis(purpose.legalBasis) ? legalBasisTerms(purpose.legalBasis) : { article: '', dpv: '' };
    return {
      key: purpose.key,
      description: purpose.description,
      legalBasis: purpose.legalBasis,
      article: terms.article,
      dpv: terms.dpv,
      categories: [
        ...new Set(access.fields.filter((field) => field.purposes.includes(purpose.key)).flatMap((field) => (field.dataCategory ? [field.dataCategory] : []))),
      ].sort(),
      retentionDays: purpose.retentionDays,
      staffRoles: purpose.roles,
    };
  });

  const recipients = [
    `Our staff, in the roles each purpose names (${[...new Set(listed.flatMap((purpose) => purpose.staffRoles))].join(', ')}), and Candor, the software that holds your data for us.`,
    ...dataUseRecipients.filter(([pattern]) => chosen.some((purpose) => pattern.test(purpose.dataUse))).map(([, words]) => words),
    ...(hooks.length > 0
      ? [
          `Our systems notified of changes, which receive record ids and field names but no values: ${[...new Set(hooks.map((hook) => hostOf(hook.url)))].sort().join(', ')}.`,
        ]
      : []),
  ];
  const retention = listed.map((purpose) =>
    purpose.retentionDays === null
      ? `${purpose.key}: no period of its own; kept only while another purpose justifies it.`
      : `${purpose.key}: up to ${purpose.retentionDays} days after the last interaction that purpose relies on, then erased.`,
  );
  const source = [
    sourceWords[access.contact.source] ?? `Source recorded as "${access.contact.source}".`,
    ...(access.contact.importBatchId ? [`Import batch ${access.contact.importBatchId}.`] : []),
    ...(access.visitors.length > 0 || access.events.length > 0 ? ['Your use of our website, recorded with your consent to web analytics.'] : []),
  ];
  return {
    controller: { name: workspace?.name ?? '', region: workspace?.region ?? '' },
    purposes: listed,
    categories: [...new Set(access.fields.flatMap((field) => (field.dataCategory ? [field.dataCategory] : [])))].sort(),
    recipients,
    retention,
    source,
    rights,
    automatedDecisions: 'None: no decision about you is taken by automated means alone (Art. 22).',
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an endpoint of ours';
  }
}
