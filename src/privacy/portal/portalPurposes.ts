import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { selectRows } from '../../db/rows.ts';
import { noticeTitleOf } from '../notices/firstNotice.ts';

/*
 * The workspace's purposes as the portal shows them to anyone signed in: what each is for,
 * on which legal basis, the notice in force and how long data is kept. Configuration, the
 * same for everyone: listed for an unknown address too.
 */

export type PortalPurpose = {
  key: string;
  label: string;
  legalBasis: string;
  description: string;
  notice: { version: number; title: string; markdown: string } | null;
  retentionDays: number | null;
  retention: string;
};

type Row = {
  key: string;
  description: string;
  legal_basis: string;
  retention_days: number | null;
  version: number | null;
  title: string | null;
  body_markdown: string | null;
};

const retentionWords = (days: number | null) =>
  days === null
    ? 'No period of its own: kept only while another purpose needs it.'
    : `Up to ${days} days after the last interaction this purpose relies on, then erased.`;

/** Every purpose of the workspace with its published notice, by key. One statement. */
export async function portalPurposes(executor: Executor, tenantId: string): Promise<PortalPurpose[]> {
  const rows = await selectRows<Row>(
    executor,
    sql`select p.key, p.description, p.legal_basis, p.retention_days, n.version, n.title, n.body_markdown
        from purposes p
        left join purpose_notices n on n.tenant_id = p.tenant_id and n.purpose_key = p.key and n.status = 'published'
        where p.tenant_id = ${tenantId}::uuid order by p.key`,
  );
  return rows.map((row) => ({
    key: row.key,
    label: noticeTitleOf(row.key),
    legalBasis: row.legal_basis,
    description: row.description,
    notice: row.version === null ? null : { version: Number(row.version), title: row.title ?? '', markdown: row.body_markdown ?? '' },
    retentionDays: row.retention_days === null ? null : Number(row.retention_days),
    retention: retentionWords(row.retention_days === null ? null : Number(row.retention_days)),
  }));
}
