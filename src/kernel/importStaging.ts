import { sql } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import type { PurposeContext } from './accessContext.ts';
import type { PersonalValues } from './contactRecords.ts';
import { contactBlindIndexKey, contactKeysForWriting, sealPersonal } from './contactVault.ts';
import { contactBlindTokens, externalIdIndex } from './lookupTokens.ts';
import { shredSubjects, type SubjectKeys } from './vault/index.ts';
import { rowsOf } from '../db/rows.ts';

/*
 * The only code that reads or writes `import_staging.personal`. A CSV import streams its
 * rows into staging in short transactions and publishes them in one short step with
 * INSERT … SELECT, so personal values move from staging to `contacts.personal` (and their
 * lookup tokens to `lookup_tokens`) without passing through application memory again.
 *
 * Staged `personal` is `{ values, tokens, externalIdIndex }`: `values` becomes the contact's
 * personal values as they are (the same flat snake_case shape as src/kernel/contactRecords.ts),
 * `tokens` the contact's lookup tokens, computed while staging because name folding cannot
 * be done in SQL, and `externalIdIndex` the blind index of its external id (or null).
 *
 * Nothing staged is plaintext. Each staged row already carries the id its contact will get
 * (`record_id`), and its values are sealed while staging under THAT contact's subject key
 * (created here), its tokens already blind indexes. So publishing copies sealed values and
 * indexes as they are, with no decryption and no second pass through memory — the AAD binds
 * the contact id, which does not change on publish. We chose this over a separate staging
 * subject because re-sealing a million rows on publish would cost a decrypt + encrypt per
 * value inside the one short publishing transaction. The price: a batch that is discarded
 * instead of published leaves keys for contacts that never existed, so discarding shreds
 * them (abandonStagedRows), which also makes any copy of the staged rows unreadable.
 */

export type StagedRow = {
  /** Physical line of the CSV where the row starts (the header is line 1). */
  line: number;
  /** Id of the contact or company the row becomes when published. */
  recordId: string;
  /** Non-personal values; for contacts the keys below (see publishStagedContacts). */
  attributes: Record<string, unknown>;
  /** Personal values of a contact row; null for rows that hold none (companies). */
  personal: PersonalValues | null;
};

/**
 * Non-personal attributes of a staged contact row, copied into the contact's columns on
 * publish. Dates are ISO 8601 strings.
 */
export type StagedContactAttributes = {
  owner_id?: string;
  company_id?: string;
  lifecycle_stage?: string;
  created_at?: string;
};

function stagedPersonal(keys: SubjectKeys | undefined, blindKey: Buffer, personal: PersonalValues | null): string {
  if (personal === null || !keys) return '{}';
  const tokens = contactBlindTokens(blindKey, personal).map((token) => [token.field, token.token]);
  return JSON.stringify({ values: sealPersonal(keys, personal), tokens, externalIdIndex: externalIdIndex(blindKey, personal.external_id) });
}

/**
 * Adds rows to a batch's staging area: one SELECT + one INSERT of the future contacts'
 * subject keys, one multi-row INSERT of the sealed rows. Call in a short transaction.
 */
export async function stageImportRows(tx: Executor, ctx: PurposeContext, batchId: string, rows: StagedRow[]): Promise<void> {
  if (rows.length === 0) return;
  const personalRows = rows.filter((row) => row.personal !== null);
  const keys = await contactKeysForWriting(
    tx,
    ctx.tenantId,
    personalRows.map((row) => row.recordId),
  );
  const blindKey = await contactBlindIndexKey(ctx.tenantId);
  await tx.execute(sql`
    insert into import_staging (tenant_id, batch_id, line_number, record_id, attributes, personal)
    select ${ctx.tenantId}::uuid, ${batchId}::uuid, line, record_id::uuid, attributes::jsonb, personal::jsonb
    from unnest(
      ${sql.param(rows.map((row) => row.line))}::int[],
      ${sql.param(rows.map((row) => row.recordId))}::text[],
      ${sql.param(rows.map((row) => JSON.stringify(row.attributes)))}::text[],
      ${sql.param(rows.map((row) => stagedPersonal(keys.get(row.recordId), blindKey, row.personal)))}::text[]
    ) as u(line, record_id, attributes, personal)`);
}

/**
 * Publishes a batch's staged contact rows: one INSERT … SELECT into contacts (source
 * 'import', import_batch_id set) and one into lookup_tokens, copying sealed values and
 * blind indexes as staged (they are already bound to the contact ids). Run it inside the publishing
 * transaction, after any companies the rows link to exist. Returns the contacts created.
 */
export async function publishStagedContacts(tx: Executor, ctx: PurposeContext, batchId: string, now: Date): Promise<number> {
  const at = now.toISOString();
  const inserted = await tx.execute(sql`
    insert into contacts (tenant_id, id, owner_id, company_id, lifecycle_stage, source, import_batch_id, personal, external_id_index, created_at, updated_at)
    select s.tenant_id, s.record_id, (s.attributes->>'owner_id')::uuid, (s.attributes->>'company_id')::uuid,
           coalesce(s.attributes->>'lifecycle_stage', 'lead'), 'import', s.batch_id, s.personal->'values', s.personal->>'externalIdIndex',
           coalesce((s.attributes->>'created_at')::timestamptz, ${at}::timestamptz), ${at}::timestamptz
    from import_staging s
    where s.tenant_id = ${ctx.tenantId} and s.batch_id = ${batchId}`);
  await tx.execute(sql`
    insert into lookup_tokens (tenant_id, object, field, token, record_id)
    select s.tenant_id, 'contact', t.value->>0, t.value->>1, s.record_id
    from import_staging s cross join lateral jsonb_array_elements(s.personal->'tokens') as t(value)
    where s.tenant_id = ${ctx.tenantId} and s.batch_id = ${batchId}
    on conflict do nothing`);
  return affectedRows(inserted);
}

/** Companies named by a contact batch that did not exist yet: one per distinct key, created before the contacts. */
export async function publishLinkedCompanies(tx: Executor, ctx: PurposeContext, batchId: string, at: string): Promise<number> {
  const inserted = await tx.execute(sql`
    insert into companies (tenant_id, id, name, domain, source, import_batch_id, created_at, updated_at)
    select distinct on (s.attributes->>'company_id')
           s.tenant_id, (s.attributes->>'company_id')::uuid, s.attributes->'new_company'->>'name',
           s.attributes->'new_company'->>'domain', 'import', s.batch_id, ${at}::timestamptz, ${at}::timestamptz
    from import_staging s
    where s.tenant_id = ${ctx.tenantId} and s.batch_id = ${batchId} and s.attributes ? 'new_company'
    order by s.attributes->>'company_id', s.line_number`);
  return affectedRows(inserted);
}

/** The rows of a company batch; companies hold no personal values, so they come from attributes only. */
export async function publishStagedCompanies(tx: Executor, ctx: PurposeContext, batchId: string, at: string): Promise<number> {
  const inserted = await tx.execute(sql`
    insert into companies (tenant_id, id, name, domain, industry, phone, city, country, employee_count,
                           annual_revenue_minor, owner_id, source, external_id, import_batch_id, created_at, updated_at)
    select s.tenant_id, s.record_id, a->>'name', a->>'domain', a->>'industry', a->>'phone', a->>'city', a->>'country',
           (a->>'employee_count')::int, (a->>'annual_revenue_minor')::bigint, (a->>'owner_id')::uuid, 'import',
           a->>'external_id', s.batch_id, coalesce((a->>'created_at')::timestamptz, ${at}::timestamptz), ${at}::timestamptz
    from import_staging s cross join lateral (select s.attributes) as r(a)
    where s.tenant_id = ${ctx.tenantId} and s.batch_id = ${batchId}`);
  return affectedRows(inserted);
}

/** Deletes a batch's staged rows after publishing: their keys now belong to the published contacts. */
export async function discardStagedRows(tx: Executor, ctx: PurposeContext, batchId: string): Promise<number> {
  const deleted = await tx.execute(sql`delete from import_staging where tenant_id = ${ctx.tenantId} and batch_id = ${batchId}`);
  return affectedRows(deleted);
}

/**
 * Deletes the staged rows of a batch that will not be published (failed, abandoned) and
 * shreds the keys they were sealed under, for contacts that never came to exist. Two
 * statements: the DELETE … RETURNING and the shredding.
 */
export async function abandonStagedRows(tx: Executor, ctx: PurposeContext, batchId: string): Promise<number> {
  const deleted = await tx.execute(sql`
    delete from import_staging where tenant_id = ${ctx.tenantId} and batch_id = ${batchId}
    returning record_id, personal ? 'values' as sealed`);
  const rows = rowsOf<{ record_id: string; sealed: boolean }>(deleted);
  await shredSubjects(
    tx,
    ctx.tenantId,
    rows.flatMap((row) => (row.sealed ? [row.record_id] : [])),
  );
  return rows.length;
}

/** Number of rows a batch has staged; counts only, no values. */
export async function countStagedRows(tx: Executor, ctx: PurposeContext, batchId: string): Promise<number> {
  const result = await tx.execute(sql`select count(*)::int as n from import_staging where tenant_id = ${ctx.tenantId} and batch_id = ${batchId}`);
  return rowsOf<{ n: number }>(result)[0]?.n ?? 0;
}

// node-postgres reports `rowCount`, PGlite `affectedRows`.
function affectedRows(result: unknown): number {
  const { rowCount, affectedRows: affected } = result as { rowCount?: number | null; affectedRows?: number };
  return rowCount ?? affected ?? 0;
}
