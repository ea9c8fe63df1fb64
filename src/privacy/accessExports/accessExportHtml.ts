import type { AccessExportDocument } from './accessExportDocument.ts';

/*
 * The readable form of an access export: one self-contained HTML page (no script, no
 * image, nothing fetched from elsewhere; its style inline), headed sections with tables a
 * screen reader can walk. Every value is escaped: the page shows what was stored, it never
 * runs it.
 */

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => escapes[character]!);

const cell = (value: unknown): string =>
  value === null || value === undefined || value === '' ? '<td>—</td>' : `<td>${escapeHtml(typeof value === 'string' ? value : JSON.stringify(value))}</td>`;

function table(caption: string, header: string[], rows: unknown[][]): string {
  if (rows.length === 0) return `<p>${escapeHtml(caption)}: none.</p>`;
  const head = header.map((name) => `<th scope="col">${escapeHtml(name)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map(cell).join('')}</tr>`).join('\n');
  return `<table><caption>${escapeHtml(caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const list = (items: string[]) => `<ul>${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
const section = (id: string, title: string, content: string) =>
  `<section aria-labelledby="${id}"><h2 id="${id}">${escapeHtml(title)}</h2>\n${content}</section>`;

const style =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}' +
  'table{border-collapse:collapse;margin:1rem 0;width:100%}caption{text-align:left;font-weight:600}' +
  'th,td{border:1px solid #8a8a8a;padding:.3rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}';

export function accessExportHtml(document: AccessExportDocument): string {
  const { subject: s, context } = document;
  const sections = [
    section(
      'about',
      'About this copy',
      `<p>${escapeHtml(`This is a copy of the personal data ${context.controller.name} holds about you, made on ${document.generatedAt}.`)}</p>` +
        list([...context.source.map((text) => `Where it came from: ${text}`), context.automatedDecisions]),
    ),
    section(
      'data',
      'Your details',
      table(
        'Stored values',
        ['Field', 'Value', 'Category'],
        s.fields.map((f) => [f.field, f.value, f.dataCategory]),
      ) + table('Record', ['Item', 'Value'], [...Object.entries(s.contact), ...(s.company ? [['company', s.company.name]] : [])]),
    ),
    section(
      'purposes',
      'Why we process it',
      [
        table(
          'Purposes and legal bases',
          ['Purpose', 'Description', 'Legal basis', 'Data categories', 'Kept for (days)', 'Staff roles'],
          context.purposes.map((p) => [
            p.key,
            p.description,
            `${p.legalBasis} (Art. ${p.article})`,
            p.categories.join(', '),
            p.retentionDays,
            p.staffRoles.join(', '),
          ]),
        ),
        `<h3>Who receives it</h3>${list(context.recipients)}<h3>How long we keep it</h3>${list(context.retention)}`,
      ].join(''),
    ),
    section(
      'deals',
      'Deals',
      table(
        'Deals you are part of',
        ['Name', 'Pipeline', 'Stage', 'Amount (minor units)', 'Currency', 'Created'],
        s.deals.map((d) => [d.name, d.pipeline, d.stage, d.amountMinor, d.currency, d.createdAt]),
      ),
    ),
    section(
      'purchases',
      'Purchases',
      table(
        'Orders',
        ['Order', 'Status', 'Total (minor units)', 'Currency', 'Date', 'Items'],
        s.purchases.map((p) => [p.orderNumber, p.status, p.totalMinor, p.currency, p.purchasedAt, p.lines.map((l) => `${l.quantity} × ${l.name}`).join('; ')]),
      ),
    ),
    section(
      'activities',
      'Notes, calls and other activities',
      table(
        'Activities about you',
        ['Type', 'When', 'Subject', 'Text'],
        s.activities.map((a) => [a.type, a.occurredAt, a.subject, a.body]),
      ),
    ),
    section(
      'events',
      'Your use of our website',
      table(
        'Events',
        ['Type', 'When', 'Details'],
        s.events.map((e) => [e.type, e.occurredAt, e.properties ?? e.withheld]),
      ) +
        table(
          'Browser profiles',
          ['Anonymous id', 'First seen', 'Last seen'],
          s.visitors.map((v) => [v.anonymousId, v.firstSeenAt, v.lastSeenAt]),
        ),
    ),
    section(
      'consents',
      'Your consents',
      table(
        'Consent history (each with its signed receipt)',
        ['Purpose', 'State', 'When', 'Expires', 'Notice version', 'Channel', 'Receipt (JWS)'],
        s.consents.map((e) => [e.purposeKey, e.state, e.recordedAt, e.expiresAt, e.noticeVersion, e.channel, e.receipt]),
      ) +
        table(
          'Restrictions',
          ['Restricted', 'Lifted'],
          s.restrictions.map((r) => [r.restrictedAt, r.liftedAt]),
        ) +
        table(
          'Objections',
          ['Purpose', 'When'],
          s.objections.map((o) => [o.purposeKey ?? 'all direct marketing', o.objectedAt]),
        ),
    ),
    section(
      'trail',
      'Who accessed your data, and why',
      table(
        'Access trail',
        ['When', 'What', 'Purpose', 'By', 'Decision', 'Fields'],
        s.trail.map((t) => [
          t.occurredAt,
          `${t.action}${t.recordIds.length > 0 ? ` (${t.recordIds.length} record${t.recordIds.length === 1 ? '' : 's'})` : ''}`,
          t.purpose,
          t.actorType,
          t.decision,
          t.fields.join(', '),
        ]),
      ),
    ),
    section('rights', 'Your rights', list(context.rights)),
  ];
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Your data at ${escapeHtml(context.controller.name)}</title><style>${style}</style></head>
<body><main><h1>Your data at ${escapeHtml(context.controller.name)}</h1>
${sections.join('\n')}
</main></body>
</html>
`;
}
