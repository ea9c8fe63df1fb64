import { sql } from 'drizzle-orm';
import type { Executor } from '../db/connection.ts';
import { selectRows } from '../db/rows.ts';
import type { PurposeContext } from './accessContext.ts';
import { assertFieldsPermitted, type FieldNaming } from './callPolicy.ts';
import { contactPolicy } from './contactAccess.ts';
import { kernelKeyStore } from './runtime.ts';
import { ensureSubjectKeys, openBytes, sealBytes, shredSubjects, unwrapSubjectKeys } from './vault/index.ts';

/*
 * The only code that reads or writes `import_uploads`: the file of an import queued to run
 * as a job (POST /imports?background=true), kept until the job has staged it. A file is
 * personal data as a whole, so it is sealed like any personal value: AES-256-GCM under a
 * data key of its own whose subject id is the batch id, in parts of 4 MiB, each part's
 * number bound into its AAD so parts cannot be reordered or swapped between batches. The
 * key is wrapped under the workspace's epoch like every data key; when the job is done the
 * parts are deleted and the key shredded, which counts as an erasure, so the next epoch
 * advance makes the file unreadable in any database copy taken while it was queued.
 *
 * Storing it is the moment the file's values enter Candor, so it passes the staging door
 * first: the role must hold the purpose, and every personal column the file maps must be
 * declared for it (403 naming the columns, before anything is stored).
 */

const partBytes = 4 * 1024 * 1024;
const partField = (part: number) => `import_file.${part}`;

/** Checks the grant and the file's personal columns, then seals and stores the file for the batch. */
export async function storeImportUpload(
  tx: Executor,
  ctx: PurposeContext,
  batchId: string,
  file: Buffer,
  personalFields: Iterable<string>,
  options: FieldNaming = {},
): Promise<void> {
  const policy = await contactPolicy(tx, ctx, 'import.uploaded');
  assertFieldsPermitted(policy, personalFields, options);
  const keys = (await ensureSubjectKeys(tx, kernelKeyStore(), ctx.tenantId, [batchId], undefined, { fresh: true })).get(batchId)!;
  for (let part = 0; part * partBytes < Math.max(file.length, 1); part += 1) {
    const sealed = sealBytes(keys, partField(part), file.subarray(part * partBytes, (part + 1) * partBytes));
    await tx.execute(
      sql`insert into import_uploads (tenant_id, batch_id, part, sealed) values (${ctx.tenantId}, ${batchId}, ${part}, decode(${sealed.toString('base64')}, 'base64'))`,
    );
  }
}

/** The batch's file as it was uploaded, or null when none is stored (it was discarded, or its key is gone). */
export async function readImportUpload(tx: Executor, ctx: PurposeContext, batchId: string): Promise<Buffer | null> {
  await contactPolicy(tx, ctx, 'import.started');
  const keys = (await unwrapSubjectKeys(tx, kernelKeyStore(), ctx.tenantId, [batchId])).get(batchId);
  if (!keys) return null;
  const rows = await selectRows<{ part: number; sealed: Buffer | Uint8Array }>(
    tx,
    sql`select part, sealed from import_uploads where tenant_id = ${ctx.tenantId} and batch_id = ${batchId} order by part`,
  );
  if (rows.length === 0) return null;
  return Buffer.concat(
    rows.map((row, index) => {
      // A missing part would shift the rest: its AAD check would fail, but say what happened.
      if (row.part !== index) throw new Error(`Import upload of batch ${batchId} lacks part ${index}.`);
      return openBytes(keys, partField(row.part), Buffer.isBuffer(row.sealed) ? row.sealed : Buffer.from(row.sealed));
    }),
  );
}

/**
 * Deletes the batch's file and shreds its key (counted as an erasure, so the next epoch
 * advance covers copies too). Needs no grant: discarding is always allowed. Returns whether
 * a file was stored.
 */
export async function discardImportUpload(tx: Executor, tenantId: string, batchId: string): Promise<boolean> {
  const deleted = await selectRows(tx, sql`delete from import_uploads where tenant_id = ${tenantId} and batch_id = ${batchId} returning part`);
  await shredSubjects(tx, tenantId, [batchId]);
  return deleted.length > 0;
}
