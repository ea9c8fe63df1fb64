import { sql } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { selectRows } from '../db/rows.ts';
import { notFound } from '../shared/domainError.ts';
import type { PurposeContext } from './accessContext.ts';
import { recordAudit } from './audit.ts';
import { kernelKeyStore } from './runtime.ts';
import { subjectAccessPolicy } from './subjectAccess.ts';
import { openBytes, sealBytes, unwrapSubjectKeys } from './vault/index.ts';

/*
 * The only code that reads or writes `access_export_files`: the file of an access export
 * (everything held on one person), sealed under THAT PERSON's key in parts of 4 MiB, each
 * part's export id and number bound into its AAD so parts cannot be reordered or moved to
 * another export. Erasing the person shreds their key, and with it every export of them:
 * no copy of the database taken before can open one after the next epoch advance.
 */

const partBytes = 4 * 1024 * 1024;
const partField = (exportId: string, part: number) => `access_export:${exportId}:${part}`;
export const accessExportReadAction = 'subject.access_export_read';

/**
 * Seals and stores the export's file (replacing any earlier one); dsr_fulfilment only. 404
 * when the subject is erased. Not audited on its own: the file is what the read before it
 * (subject.access_read, audited) opened, and its download is audited.
 */
export async function storeAccessExportFile(tx: Executor, ctx: PurposeContext, exportId: string, subjectId: string, file: Buffer): Promise<void> {
  await subjectAccessPolicy(tx, ctx, 'subject.access_export_stored');
  const keys = (await unwrapSubjectKeys(tx, kernelKeyStore(), ctx.tenantId, [subjectId])).get(subjectId);
  // No key: the person was erased; nothing may be sealed for them again.
  if (!keys) throw notFound('contact');
  const parts: string[] = [];
  for (let part = 0; part * partBytes < Math.max(file.length, 1); part += 1) {
    parts.push(sealBytes(keys, partField(exportId, part), file.subarray(part * partBytes, (part + 1) * partBytes)).toString('base64'));
  }
  // One statement: the parts written over any earlier ones, and any earlier part beyond them removed.
  await tx.execute(sql`
    with written as (
      insert into access_export_files (tenant_id, export_id, part, sealed)
      select ${ctx.tenantId}::uuid, ${exportId}::uuid, (u.ordinality - 1)::int, decode(u.sealed, 'base64')
      from unnest(${sql.param(parts)}::text[]) with ordinality as u(sealed, ordinality)
      on conflict (tenant_id, export_id, part) do update set sealed = excluded.sealed
      returning part)
    delete from access_export_files
    where tenant_id = ${ctx.tenantId}::uuid and export_id = ${exportId}::uuid and part >= ${parts.length}`);
}

/**
 * The export's file, or null when none is stored or the subject's key is gone (erased). A
 * download for the subject (through a link staff made for them) or staff: audited, naming
 * the subject by pseudonym. dsr_fulfilment only.
 */
export async function readAccessExportFile(tx: Executor, ctx: PurposeContext, exportId: string, subjectId: string): Promise<Buffer | null> {
  await subjectAccessPolicy(tx, ctx, accessExportReadAction);
  const keys = (await unwrapSubjectKeys(tx, kernelKeyStore(), ctx.tenantId, [subjectId])).get(subjectId);
  const rows = keys
    ? await selectRows<{ part: number; sealed: Buffer | Uint8Array }>(
        tx,
        sql`select part, sealed from access_export_files where tenant_id = ${ctx.tenantId}::uuid and export_id = ${exportId}::uuid order by part`,
      )
    : [];
  await recordAudit(tx, ctx, {
    action: accessExportReadAction,
    object: 'contact',
    recordIds: [exportId],
    subjectIds: [subjectId],
    decision: keys ? 'allow' : 'deny',
    ...(keys ? {} : { reasons: ['erased'] }),
  });
  if (!keys || rows.length === 0) return null;
  return Buffer.concat(
    rows.map((row, index) => {
      if (row.part !== index) throw new Error(`Access export ${exportId} lacks part ${index}.`);
      return openBytes(keys, partField(exportId, row.part), Buffer.isBuffer(row.sealed) ? row.sealed : Buffer.from(row.sealed));
    }),
  );
}
