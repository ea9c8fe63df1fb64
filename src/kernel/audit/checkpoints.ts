import { verify as verifySignature } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { DomainError } from '../../shared/domainError.ts';
import { auditConfiguration } from './configuration.ts';
import { selectRows } from '../../db/rows.ts';
import { lockChainHead, inTransaction } from './head.ts';
import { encodePublicKey, toPublicKeyObject, type AuditKeys, type AuditSigner } from './keys.ts';

export type AuditCheckpoint = {
  tenantId: string;
  sequence: number;
  hash: string;
  /** base64 Ed25519 signature over checkpointMessage(tenantId, sequence, hash). */
  signature: string;
  /** base64 SPKI DER of the signing key. */
  publicKey: string;
  createdAt: string;
};

/** The signed bytes: domain tag, version, tenant, sequence and hash, NUL-separated. */
export function checkpointMessage(tenantId: string, sequence: number, hash: string): Buffer {
  return Buffer.from(`candor-audit-checkpoint\u0000v1\u0000${tenantId}\u0000${sequence}\u0000${hash}`, 'utf8');
}

export function checkpointSignatureHolds(checkpoint: Pick<AuditCheckpoint, 'tenantId' | 'sequence' | 'hash' | 'signature' | 'publicKey'>): boolean {
  try {
    const publicKey = toPublicKeyObject(Buffer.from(checkpoint.publicKey, 'base64'));
    return verifySignature(
      null,
      checkpointMessage(checkpoint.tenantId, checkpoint.sequence, checkpoint.hash),
      publicKey,
      Buffer.from(checkpoint.signature, 'base64'),
    );
  } catch {
    return false;
  }
}

/** Signs and stores checkpoints in the caller's transaction (which holds the chain head). */
export async function insertCheckpoints(tx: Executor, tenantId: string, points: Array<{ sequence: number; hash: string }>, signer: AuditSigner): Promise<void> {
  if (points.length === 0) return;
  const publicKey = encodePublicKey(signer.publicKey);
  const rows = points.map((point) => ({
    sequence: point.sequence,
    hash: point.hash,
    signature: signer.sign(checkpointMessage(tenantId, point.sequence, point.hash)).toString('base64'),
  }));
  await tx.execute(sql`
    insert into audit_checkpoints (tenant_id, sequence, hash, signature, public_key)
    select ${tenantId}::uuid, c.sequence, c.hash, c.signature, ${publicKey}
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as c(sequence bigint, hash text, signature text)
    on conflict (tenant_id, sequence) do nothing`);
}

type CheckpointRow = { tenant_id: string; sequence: number | string; hash: string; signature: string; public_key: string; created_at: string };

const checkpointOf = (row: CheckpointRow): AuditCheckpoint => ({
  tenantId: row.tenant_id,
  sequence: Number(row.sequence),
  hash: row.hash,
  signature: row.signature,
  publicKey: row.public_key,
  createdAt: row.created_at,
});

const checkpointColumns = sql.raw(
  `tenant_id, sequence, hash, signature, public_key, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at`,
);

/** Every checkpoint of a workspace in sequence order (one per N entries: a small list). */
export async function listCheckpoints(db: Executor, tenantId: string): Promise<AuditCheckpoint[]> {
  const rows = await selectRows<CheckpointRow>(db, sql`select ${checkpointColumns} from audit_checkpoints where tenant_id = ${tenantId} order by sequence`);
  return rows.map(checkpointOf);
}

export async function latestCheckpoint(db: Executor, tenantId: string): Promise<AuditCheckpoint | null> {
  const [row] = await selectRows<CheckpointRow>(
    db,
    sql`select ${checkpointColumns} from audit_checkpoints where tenant_id = ${tenantId} order by sequence desc limit 1`,
  );
  return row ? checkpointOf(row) : null;
}

/**
 * Signs the chain head now (e.g. before publishing it, or at the end of a bulk load).
 * Returns the checkpoint at the head — an existing one if the head is already signed — or
 * null when the workspace has no entries yet.
 */
export async function createCheckpoint(db: Executor, workspaceId: string, keys: AuditKeys | null = auditConfiguration().keys): Promise<AuditCheckpoint | null> {
  const tenantId = workspaceId.toLowerCase();
  if (!keys) throw new DomainError('configuration_error', 'Signing an audit checkpoint needs the key store; none is configured.');
  const signer = await keys.signer(tenantId);
  return inTransaction(db, async (tx) => {
    const head = await lockChainHead(tx, tenantId);
    if (head.sequence === 0) return null;
    await insertCheckpoints(tx, tenantId, [{ sequence: head.sequence, hash: head.hash }], signer);
    const [row] = await selectRows<CheckpointRow>(
      tx,
      sql`select ${checkpointColumns} from audit_checkpoints where tenant_id = ${tenantId} and sequence = ${head.sequence}`,
    );
    return checkpointOf(row);
  });
}
