import { stringify } from 'csv-stringify/sync';
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { AccessExportDocument } from './accessExportDocument.ts';
import { accessExportHtml } from './accessExportHtml.ts';

/*
 * The three forms of an access export: JSON (machine-readable, for portability, Art. 20),
 * CSV (a zip of one CSV per kind of record, opened by any spreadsheet) and HTML (one page a
 * person can read, with no script and nothing loaded from elsewhere). All three hold the same
 * records and the same Art. 15 context.
 */

export const accessExportFormats = ['json', 'csv', 'html'] as const;
export type AccessExportFormat = (typeof accessExportFormats)[number];
export type RenderedExport = { body: Buffer; contentType: string; fileExtension: string };

const json = (value: unknown) => (value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value));

function csv(header: string[], rows: unknown[][]): Uint8Array {
  return strToU8(stringify([header, ...rows.map((row) => row.map(json))], { bom: true }));
}

/** One CSV per kind of record (the zip's file names are the kinds), plus the Art. 15 context. */
export function accessExportCsvFiles(document: AccessExportDocument): Record<string, Uint8Array> {
  const { subject, context } = document;
  const c = subject.contact;
  return {
    'contact.csv': csv(
      ['field', 'value', 'data_category', 'purposes', 'custom'],
      [
        ...Object.entries(c).map(([key, value]) => [key, value, '', '', false]),
        ...subject.fields.map((field) => [field.field, field.value, field.dataCategory, field.purposes.join(' '), field.custom]),
        ...(subject.company ? [['company', subject.company.name, '', '', false]] : []),
      ],
    ),
    'deals.csv': csv(
      ['id', 'name', 'pipeline', 'stage', 'amount_minor', 'currency', 'expected_close_date', 'closed_at', 'created_at', 'custom_fields'],
      subject.deals.map((d) => [d.id, d.name, d.pipeline, d.stage, d.amountMinor, d.currency, d.expectedCloseDate, d.closedAt, d.createdAt, d.customFields]),
    ),
    'purchases.csv': csv(
      ['id', 'order_number', 'status', 'currency', 'total_minor', 'purchased_at'],
      subject.purchases.map((p) => [p.id, p.orderNumber, p.status, p.currency, p.totalMinor, p.purchasedAt]),
    ),
    'purchase_lines.csv': csv(
      ['purchase_id', 'line_number', 'sku', 'name', 'quantity', 'unit_price_minor'],
      subject.purchases.flatMap((p) => p.lines.map((l) => [p.id, l.lineNumber, l.sku, l.name, l.quantity, l.unitPriceMinor])),
    ),
    'activities.csv': csv(
      ['id', 'type', 'occurred_at', 'due_at', 'completed_at', 'subject', 'body', 'other_people'],
      subject.activities.map((a) => [a.id, a.type, a.occurredAt, a.dueAt, a.completedAt, a.subject, a.body, a.otherPeople]),
    ),
    'events.csv': csv(
      ['id', 'type', 'occurred_at', 'received_at', 'properties', 'withheld'],
      subject.events.map((e) => [e.id, e.type, e.occurredAt, e.receivedAt, e.properties, e.withheld]),
    ),
    'visitors.csv': csv(
      ['id', 'anonymous_id', 'first_seen_at', 'last_seen_at'],
      subject.visitors.map((v) => [v.id, v.anonymousId, v.firstSeenAt, v.lastSeenAt]),
    ),
    'consents.csv': csv(
      ['id', 'purpose', 'state', 'recorded_at', 'expires_at', 'notice_version', 'channel', 'evidence', 'receipt_jws'],
      subject.consents.map((e) => [e.id, e.purposeKey, e.state, e.recordedAt, e.expiresAt, e.noticeVersion, e.channel, e.evidence, e.receipt]),
    ),
    'restrictions.csv': csv(
      ['restricted_at', 'lifted_at'],
      subject.restrictions.map((r) => [r.restrictedAt, r.liftedAt]),
    ),
    'objections.csv': csv(
      ['purpose', 'objected_at'],
      subject.objections.map((o) => [o.purposeKey ?? 'all direct marketing', o.objectedAt]),
    ),
    'access_trail.csv': csv(
      ['sequence', 'occurred_at', 'action', 'object', 'purpose', 'actor_type', 'decision', 'fields', 'record_ids'],
      subject.trail.map((t) => [t.sequence, t.occurredAt, t.action, t.object, t.purpose, t.actorType, t.decision, t.fields.join(' '), t.recordIds.join(' ')]),
    ),
    'purposes.csv': csv(
      ['purpose', 'description', 'legal_basis', 'article', 'dpv', 'categories', 'retention_days', 'staff_roles'],
      context.purposes.map((p) => [p.key, p.description, p.legalBasis, p.article, p.dpv, p.categories.join(' '), p.retentionDays, p.staffRoles.join(' ')]),
    ),
    'about_this_export.csv': csv(
      ['topic', 'text'],
      [
        ['controller', `${context.controller.name} (${context.controller.region})`],
        ['generated_at', document.generatedAt],
        ...context.categories.map((category) => ['category', category]),
        ...context.recipients.map((text) => ['recipients', text]),
        ...context.retention.map((text) => ['retention', text]),
        ...context.source.map((text) => ['source', text]),
        ...context.rights.map((text) => ['your_rights', text]),
        ['automated_decisions', context.automatedDecisions],
      ],
    ),
  };
}

/** The export in the asked-for form. */
export function renderAccessExport(document: AccessExportDocument, format: AccessExportFormat): RenderedExport {
  if (format === 'json') {
    return { body: Buffer.from(JSON.stringify(document, null, 2), 'utf8'), contentType: 'application/json', fileExtension: 'json' };
  }
  if (format === 'csv') {
    // A fixed time inside the zip: the same export zips to the same bytes.
    const mtime = new Date(document.generatedAt);
    const files: Zippable = {};
    for (const [name, data] of Object.entries(accessExportCsvFiles(document))) files[name] = [data, { mtime }];
    return { body: Buffer.from(zipSync(files, { level: 6 })), contentType: 'application/zip', fileExtension: 'zip' };
  }
  return { body: Buffer.from(accessExportHtml(document), 'utf8'), contentType: 'text/html; charset=utf-8', fileExtension: 'html' };
}
