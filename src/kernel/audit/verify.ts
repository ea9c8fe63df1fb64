import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { entryHash, genesisHash } from './canonical.ts';
import { checkpointSignatureHolds, listCheckpoints, type AuditCheckpoint } from './checkpoints.ts';
import { chainedFieldsOf, entryColumns, rowsOf, type AuditEntryRow } from './entry.ts';
import { encodePublicKey, type AuditKeys } from './keys.ts';

export type VerifyOptions = {
  /** With keys, checkpoints must be signed by a key the key store trusts (not only by the key stored beside them). */
  keys?: AuditKeys | null;
  /** Hashes published outside Candor (see docs/audit.md), checked like checkpoints. */
  anchors?: Array<{ sequence: number; hash: string }>;
  /** Entries read per query. */
  pageSize?: number;
};

export type AuditVerification =
  | {
      ok: true;
      tenantId: string;
      entries: number;
      lastHash: string;
      lastCheckpoint: AuditCheckpoint | null;
      checkpoints: number;
      /** true: checkpoint keys checked against the key store; false: only against the keys stored with them. */
      signersTrusted: boolean;
    }
  | { ok: false; tenantId: string; firstBrokenSequence: number; reason: string; entriesChecked: number };

type Expectation = { hash: string; checkpoint?: AuditCheckpoint };

class ChainBroken extends Error {
  constructor(
    readonly sequence: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

async function trustedKeys(keys: AuditKeys, tenantId: string): Promise<Set<string>> {
  const list = keys.trustedPublicKeys ? await keys.trustedPublicKeys(tenantId) : [(await keys.signer(tenantId)).publicKey];
  return new Set(list.map(encodePublicKey));
}

// The subject index is derived from the entries; a row missing from it would hide an access
// from the subject's "who saw my data" query. One set-wise comparison finds the first
// sequence where the two disagree.
async function firstSubjectIndexMismatch(db: Executor, tenantId: string, through: number): Promise<number | null> {
  const [row] = await rowsOf<{ sequence: number | string | null }>(
    db.execute(sql`
      select min(sequence) as sequence from (
        select sequence, pseudonym from (
          select e.sequence, p.pseudonym, 1 as side
          from audit_entries e cross join unnest(e.subject_pseudonyms) as p(pseudonym)
          where e.tenant_id = ${tenantId} and e.sequence <= ${through}
          union all
          select s.sequence, s.pseudonym, -1 as side
          from audit_subjects s where s.tenant_id = ${tenantId} and s.sequence <= ${through}
        ) as sides
        group by sequence, pseudonym having sum(side) <> 0
      ) as differences`),
  );
  return row?.sequence === null || row?.sequence === undefined ? null : Number(row.sequence);
}

/**
 * Recomputes a workspace's chain in sequence order, a page at a time, and checks it against
 * its signed checkpoints, the chain head and the subject index. Reports the first entry at
 * which the chain no longer holds. Runs beside concurrent appends: it checks the chain up
 * to the head it reads first.
 */
export async function verifyAuditChain(db: Executor, tenantId: string, options: VerifyOptions = {}): Promise<AuditVerification> {
  const pageSize = options.pageSize ?? 5000;
  const [head] = await rowsOf<{ sequence: number | string; hash: string }>(db.execute(sql`select sequence, hash from audit_heads where tenant_id = ${tenantId}`));
  const through = head ? Number(head.sequence) : 0;
  const checkpoints = (await listCheckpoints(db, tenantId)).filter((checkpoint) => checkpoint.sequence <= through);
  const trusted = options.keys ? await trustedKeys(options.keys, tenantId) : null;
  const expectations = new Map<number, Expectation[]>();
  const expect = (sequence: number, expectation: Expectation) => expectations.set(sequence, [...(expectations.get(sequence) ?? []), expectation]);
  for (const checkpoint of checkpoints) expect(checkpoint.sequence, { hash: checkpoint.hash, checkpoint });
  for (const anchor of options.anchors ?? []) expect(anchor.sequence, { hash: anchor.hash });
  const indexMismatch = await firstSubjectIndexMismatch(db, tenantId, through);

  let previousHash = genesisHash;
  let hashBeforePrevious: string | null = null;
  let checked = 0;
  let lastCheckpoint: AuditCheckpoint | null = null;
  try {
    for (let after = 0; after < through; ) {
      const rows = await rowsOf<AuditEntryRow>(
        db.execute(sql`select ${entryColumns('e')} from audit_entries e
                       where e.tenant_id = ${tenantId} and e.sequence > ${after} and e.sequence <= ${through}
                       order by e.sequence limit ${pageSize}`),
      );
      if (rows.length === 0) throw new ChainBroken(after + 1, `entries ${after + 1} to ${through} are missing (the chain head is at ${through})`);
      for (const row of rows) {
        const sequence = Number(row.sequence);
        const expected = checked + 1;
        if (sequence !== expected) throw new ChainBroken(expected, `entry ${expected} is missing`);
        const contentHolds = entryHash(chainedFieldsOf(row)) === row.hash;
        const linkHolds = row.previous_hash === previousHash;
        if (!linkHolds && contentHolds && sequence > 1) {
          throw new ChainBroken(sequence - 1, `entry ${sequence - 1} was changed after entry ${sequence} committed to its hash`);
        }
        if (!linkHolds && hashBeforePrevious !== null && row.previous_hash === hashBeforePrevious) {
          throw new ChainBroken(sequence - 1, `entry ${sequence - 1} was inserted: entry ${sequence} follows entry ${sequence - 2}`);
        }
        if (!contentHolds) throw new ChainBroken(sequence, `entry ${sequence} does not match its hash (changed, moved or forged)`);
        if (!linkHolds) throw new ChainBroken(sequence, `entry ${sequence} does not follow entry ${sequence - 1}`);
        for (const expectation of expectations.get(sequence) ?? []) {
          const what = expectation.checkpoint ? 'signed checkpoint' : 'anchored hash';
          if (expectation.hash !== row.hash) {
            throw new ChainBroken(sequence, `entry ${sequence} differs from its ${what}: the chain was rewritten after the previous checkpoint`);
          }
          if (expectation.checkpoint) {
            if (!checkpointSignatureHolds(expectation.checkpoint)) throw new ChainBroken(sequence, `the checkpoint at entry ${sequence} has an invalid signature`);
            if (trusted && !trusted.has(expectation.checkpoint.publicKey)) throw new ChainBroken(sequence, `the checkpoint at entry ${sequence} is signed by a key the key store does not hold`);
            lastCheckpoint = expectation.checkpoint;
          }
        }
        if (indexMismatch === sequence) throw new ChainBroken(sequence, `the subject index disagrees with entry ${sequence}`);
        hashBeforePrevious = previousHash;
        previousHash = row.hash;
        checked = sequence;
      }
      after = checked;
    }
    for (const anchor of options.anchors ?? []) {
      if (anchor.sequence > through) throw new ChainBroken(through + 1, `the chain ends at ${through} but an anchored hash names entry ${anchor.sequence}`);
    }
    if (head && head.hash !== previousHash) throw new ChainBroken(through, `the chain head does not match entry ${through}`);
    // An entry past the head was written without taking the chain head: a concurrent append
    // commits head and entries together, so one seen before re-reading the head is forged.
    const [beyond] = await rowsOf<{ sequence: number | string | null }>(db.execute(sql`select min(sequence) as sequence from audit_entries where tenant_id = ${tenantId} and sequence > ${through}`));
    if (beyond?.sequence !== null && beyond?.sequence !== undefined) {
      const [now] = await rowsOf<{ sequence: number | string }>(db.execute(sql`select sequence from audit_heads where tenant_id = ${tenantId}`));
      if (!now || Number(now.sequence) < Number(beyond.sequence)) throw new ChainBroken(Number(beyond.sequence), `entry ${beyond.sequence} lies beyond the chain head`);
    }
  } catch (error) {
    if (error instanceof ChainBroken) return { ok: false, tenantId, firstBrokenSequence: error.sequence, reason: error.reason, entriesChecked: checked };
    throw error;
  }
  return { ok: true, tenantId, entries: checked, lastHash: previousHash, lastCheckpoint, checkpoints: checkpoints.length, signersTrusted: trusted !== null };
}
