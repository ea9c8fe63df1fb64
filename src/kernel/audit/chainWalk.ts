import { genesisHash } from './canonical.ts';
import { checkpointSignatureHolds, type AuditCheckpoint } from './checkpoints.ts';

/** A hash the chain must have at a sequence: a signed checkpoint's, or an anchor published outside Candor. */
export type Expectation = { hash: string; checkpoint?: AuditCheckpoint };

export class ChainBroken extends Error {
  constructor(
    readonly sequence: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export type ChainWalkSettings = {
  expectations: Map<number, Expectation[]>;
  /** Public keys the key store trusts; null when verification runs without the key store. */
  trusted: Set<string> | null;
  /** The first sequence at which the subject index disagrees with the entries, if any. */
  indexMismatch: number | null;
  /** Sequences where a signed checkpoint is due but none is stored, ascending; with the interval. */
  missingCheckpoints?: { sequences: number[]; due: number; every: number };
};

/**
 * The per-entry checks of verification, fed entries in sequence order: the entry's
 * recomputed hash, its stored hash and its stored link to the previous entry. Throws
 * ChainBroken naming the first entry at which the chain no longer holds, and tells a change
 * from an insertion where the neighbouring hashes show which it was.
 */
export class ChainWalk {
  previousHash = genesisHash;
  checked = 0;
  lastCheckpoint: AuditCheckpoint | null = null;
  private hashBeforePrevious: string | null = null;

  constructor(private readonly settings: ChainWalkSettings) {}

  visit(sequence: number, computedHash: string, hash: string, previousHash: string): void {
    const expected = this.checked + 1;
    if (sequence !== expected) throw new ChainBroken(expected, `entry ${expected} is missing`);
    const contentHolds = computedHash === hash;
    const linkHolds = previousHash === this.previousHash;
    if (!linkHolds && contentHolds && sequence > 1) {
      throw new ChainBroken(sequence - 1, `entry ${sequence - 1} was changed after entry ${sequence} committed to its hash`);
    }
    if (!linkHolds && this.hashBeforePrevious !== null && previousHash === this.hashBeforePrevious) {
      throw new ChainBroken(sequence - 1, `entry ${sequence - 1} was inserted: entry ${sequence} follows entry ${sequence - 2}`);
    }
    if (!contentHolds) throw new ChainBroken(sequence, `entry ${sequence} does not match its hash (changed, moved or forged)`);
    if (!linkHolds) throw new ChainBroken(sequence, `entry ${sequence} does not follow entry ${sequence - 1}`);
    const expectations = this.settings.expectations.get(sequence);
    if (expectations) this.meetExpectations(sequence, hash, expectations);
    const missing = this.settings.missingCheckpoints;
    if (missing && missing.sequences[0] === sequence) {
      const listed = missing.sequences.slice(0, 5).join(', ') + (missing.sequences.length > 5 ? ', …' : '');
      throw new ChainBroken(
        sequence,
        `the signed checkpoint at entry ${sequence} is missing (one is written every ${missing.every} entries; ` +
          `${missing.sequences.length} of ${missing.due} missing: ${listed}): entries up to ${sequence} are not covered by a signature`,
      );
    }
    if (this.settings.indexMismatch === sequence) throw new ChainBroken(sequence, `the subject index disagrees with entry ${sequence}`);
    this.hashBeforePrevious = this.previousHash;
    this.previousHash = hash;
    this.checked = sequence;
  }

  private meetExpectations(sequence: number, hash: string, expectations: Expectation[]): void {
    for (const expectation of expectations) {
      const what = expectation.checkpoint ? 'signed checkpoint' : 'anchored hash';
      if (expectation.hash !== hash) {
        throw new ChainBroken(sequence, `entry ${sequence} differs from its ${what}: the chain was rewritten after the previous checkpoint`);
      }
      if (expectation.checkpoint) {
        if (!checkpointSignatureHolds(expectation.checkpoint)) throw new ChainBroken(sequence, `the checkpoint at entry ${sequence} has an invalid signature`);
        if (this.settings.trusted && !this.settings.trusted.has(expectation.checkpoint.publicKey)) {
          throw new ChainBroken(sequence, `the checkpoint at entry ${sequence} is signed by a key the key store does not hold`);
        }
        this.lastCheckpoint = expectation.checkpoint;
      }
    }
  }
}
