import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { readPackedPage, visitPackedPage, visitRows, type VisitEntry } from './chainPages.ts';
import { ChainBroken, ChainWalk, type Expectation } from './chainWalk.ts';
import { listCheckpoints, type AuditCheckpoint } from './checkpoints.ts';
import { auditConfiguration } from './configuration.ts';
import { selectRows } from '../../db/rows.ts';
import { encodePublicKey, type AuditKeys } from './keys.ts';

export type VerifyOptions = {
  /** With keys, checkpoints must be signed by a key the key store trusts (not only by the key stored beside them). */
  keys?: AuditKeys | null;
  /** Hashes published outside Candor (see docs/audit.md), checked like checkpoints. */
  anchors?: Array<{ sequence: number; hash: string }>;
  /** Entries read per query. */
  pageSize?: number;
  /**
   * A signed checkpoint must exist at every multiple of this sequence up to the head (null:
   * none is required). Default: the configured interval when verification runs with keys.
   * Appends write those checkpoints whenever a key store is configured, which `candor
   * serve` and every command always have; so with the key store at hand, a missing one
   * was deleted. Without keys (tests of the chain alone) none is required.
   */
  checkpointEvery?: number | null;
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

async function trustedKeys(keys: AuditKeys, tenantId: string): Promise<Set<string>> {
  const list = keys.trustedPublicKeys ? await keys.trustedPublicKeys(tenantId) : [(await keys.signer(tenantId)).publicKey];
  return new Set(list.map(encodePublicKey));
}

// The subject index is derived from the entries; a row missing from it would hide an access
// from the subject's "who saw my data" query. One set-wise comparison finds the first
// sequence where the two disagree. An erasure entry (erased_pseudonyms, hashed) accounts for
// the rows of its pseudonyms before it: those are expected gone, and only those.
async function firstSubjectIndexMismatch(db: Executor, tenantId: string, through: number): Promise<number | null> {
  const [row] = await selectRows<{ sequence: number | string | null }>(
    db,
    sql`
      with erasures as (
        select p.pseudonym, max(x.sequence) as sequence
        from audit_entries x cross join unnest(x.erased_pseudonyms) as p(pseudonym)
        where x.tenant_id = ${tenantId} and x.sequence <= ${through} and cardinality(x.erased_pseudonyms) > 0
          -- Version 1 does not hash erased pseudonyms: such a list there could only be forged.
          and x.version >= 2
        group by p.pseudonym)
      select min(sequence) as sequence from (
        select sequence, pseudonym from (
          select e.sequence, p.pseudonym, 1 as side
          from audit_entries e cross join unnest(e.subject_pseudonyms) as p(pseudonym)
          left join erasures x on x.pseudonym = p.pseudonym
          where e.tenant_id = ${tenantId} and e.sequence <= ${through} and (x.sequence is null or x.sequence < e.sequence)
          union all
          select s.sequence, s.pseudonym, -1 as side
          from audit_subjects s where s.tenant_id = ${tenantId} and s.sequence <= ${through}
        ) as sides
        group by sequence, pseudonym having sum(side) <> 0
      ) as differences`,
  );
  return row?.sequence === null || row?.sequence === undefined ? null : Number(row.sequence);
}

// Deleting checkpoint rows would otherwise leave a rewritten chain looking unsigned rather
// than forged: every multiple of the interval up to the head must have its checkpoint.
function checkpointsMissing(checkpoints: readonly AuditCheckpoint[], every: number, through: number) {
  const signed = new Set(checkpoints.map((checkpoint) => checkpoint.sequence));
  const due = Math.floor(through / every);
  const sequences: number[] = [];
  for (let sequence = every; sequence <= through; sequence += every) if (!signed.has(sequence)) sequences.push(sequence);
  return sequences.length === 0 ? undefined : { sequences, due, every };
}

/**
 * Recomputes a workspace's chain in sequence order, a page at a time, and checks it against
 * its signed checkpoints, the chain head and the subject index. Reports the first entry at
 * which the chain no longer holds. Runs beside concurrent appends: it checks the chain up
 * to the head it reads first.
 */
export async function verifyAuditChain(db: Executor, tenantId: string, options: VerifyOptions = {}): Promise<AuditVerification> {
  const pageSize = options.pageSize ?? 5000;
  const [head] = await selectRows<{ sequence: number | string | null; hash: string | null; tenant: string }>(
    db,
    sql`select h.sequence, h.hash, t.tenant from (select ${tenantId}::uuid::text as tenant) t left join audit_heads h on h.tenant_id = ${tenantId}`,
  );
  // The workspace id as the database writes it (lower case, hyphenated), as the hashed entries hold it.
  const canonicalTenant = head.tenant;
  const through = head.sequence === null ? 0 : Number(head.sequence);
  const checkpoints = (await listCheckpoints(db, tenantId)).filter((checkpoint) => checkpoint.sequence <= through);
  const trusted = options.keys ? await trustedKeys(options.keys, tenantId) : null;
  const expectations = new Map<number, Expectation[]>();
  const expect = (sequence: number, expectation: Expectation) => expectations.set(sequence, [...(expectations.get(sequence) ?? []), expectation]);
  for (const checkpoint of checkpoints) expect(checkpoint.sequence, { hash: checkpoint.hash, checkpoint });
  for (const anchor of options.anchors ?? []) expect(anchor.sequence, { hash: anchor.hash });
  const indexMismatch = await firstSubjectIndexMismatch(db, tenantId, through);
  const every = options.checkpointEvery === undefined ? (options.keys ? auditConfiguration().checkpointEvery : null) : options.checkpointEvery;
  const missingCheckpoints = every ? checkpointsMissing(checkpoints, every, through) : undefined;

  const walk = new ChainWalk({ expectations, trusted, indexMismatch, missingCheckpoints });
  const visit: VisitEntry = (sequence, computedHash, hash, previousHash) => walk.visit(sequence, computedHash, hash, previousHash);
  // Pages are sequence ranges (sequences have no gaps), so the next page's query can be sent
  // before this one is hashed: on PostgreSQL the server reads while this process hashes.
  const pageAt = (after: number) => {
    const page = readPackedPage(db, canonicalTenant, after, Math.min(after + pageSize, through));
    page.catch(() => undefined); // awaited below; this only keeps an abandoned prefetch from going unhandled
    return page;
  };
  let next = through > 0 ? pageAt(0) : null;
  try {
    while (next) {
      const page = await next;
      next = page.through < through ? pageAt(page.through) : null;
      // Let the driver send the prefetch (a pool hands out its connection asynchronously)
      // before this process is busy hashing.
      if (next) await new Promise((resolve) => setImmediate(resolve));
      const visited = visitPackedPage(page, canonicalTenant, visit);
      if (visited < page.through) await visitRows(db, tenantId, visited, page.through, visit);
    }
    if (walk.checked < through)
      throw new ChainBroken(walk.checked + 1, `entries ${walk.checked + 1} to ${through} are missing (the chain head is at ${through})`);
    for (const anchor of options.anchors ?? []) {
      if (anchor.sequence > through) throw new ChainBroken(through + 1, `the chain ends at ${through} but an anchored hash names entry ${anchor.sequence}`);
    }
    if (head.sequence !== null && head.hash !== walk.previousHash) throw new ChainBroken(through, `the chain head does not match entry ${through}`);
    // An entry past the head was written without taking the chain head: a concurrent append
    // commits head and entries together, so one seen before re-reading the head is forged.
    const [beyond] = await selectRows<{ sequence: number | string | null }>(
      db,
      sql`select min(sequence) as sequence from audit_entries where tenant_id = ${tenantId} and sequence > ${through}`,
    );
    if (beyond?.sequence !== null && beyond?.sequence !== undefined) {
      const [now] = await selectRows<{ sequence: number | string }>(db, sql`select sequence from audit_heads where tenant_id = ${tenantId}`);
      if (!now || Number(now.sequence) < Number(beyond.sequence))
        throw new ChainBroken(Number(beyond.sequence), `entry ${beyond.sequence} lies beyond the chain head`);
    }
  } catch (error) {
    if (error instanceof ChainBroken) return { ok: false, tenantId, firstBrokenSequence: error.sequence, reason: error.reason, entriesChecked: walk.checked };
    throw error;
  } finally {
    await next?.catch(() => undefined);
  }
  return {
    ok: true,
    tenantId,
    entries: walk.checked,
    lastHash: walk.previousHash,
    lastCheckpoint: walk.lastCheckpoint,
    checkpoints: checkpoints.length,
    signersTrusted: trusted !== null,
  };
}
