import type { ChainedFields } from '../../src/kernel/audit.ts';
import type { TestDatabase } from './testDatabase.ts';

const appendOnlyTables = ['audit_entries', 'audit_subjects', 'audit_checkpoints'];

/**
 * Raw SQL on the audit tables of a test file's database (a getter, as the database opens in
 * beforeAll), written as an attacker with the superuser's rights would write it.
 */
export function auditTampering(database: () => TestDatabase) {
  const raw = (text: string, params: unknown[]) => database().query(text, params);

  /** Runs `work` with the append-only triggers switched off, and switches them on again. */
  async function tamper(work: () => Promise<unknown>) {
    for (const table of appendOnlyTables) await database().exec(`alter table ${table} disable trigger user`);
    try {
      await work();
    } finally {
      for (const table of appendOnlyTables) await database().exec(`alter table ${table} enable trigger user`);
    }
  }

  /** Inserts an entry with the given chained fields and hash, as no code path of Candor would. */
  async function insertEntry(tenantId: string, fields: ChainedFields, hash: string) {
    await raw(
      `insert into audit_entries (tenant_id, sequence, occurred_at, actor_type, actor_id, purpose, action, object, record_ids, fields,
                                  decision, reasons, subject_pseudonyms, detail, previous_hash, hash, version, erased_pseudonyms)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
      [
        tenantId,
        fields.sequence,
        fields.occurredAt,
        fields.actorType,
        fields.actorId,
        fields.purpose,
        fields.action,
        fields.object,
        fields.recordIds,
        fields.fields,
        fields.decision,
        JSON.stringify(fields.reasons),
        fields.subjectPseudonyms,
        JSON.stringify(fields.detail),
        fields.previousHash,
        hash,
        fields.version,
        fields.erasedPseudonyms,
      ],
    );
  }

  /** Moves entries from `from` on by `by` places (two steps, so the primary key never collides). */
  async function shiftEntries(tenantId: string, from: number, by: number) {
    await raw('update audit_entries set sequence = sequence + 1000000 where tenant_id = $1 and sequence >= $2', [tenantId, from]);
    await raw('update audit_entries set sequence = sequence - 1000000 + $2 where tenant_id = $1 and sequence >= 1000000', [tenantId, by]);
  }

  return { raw, tamper, insertEntry, shiftEntries };
}
