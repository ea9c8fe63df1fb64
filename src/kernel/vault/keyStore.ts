import type { KeyObject } from 'node:crypto';

/**
 * Where Candor's key material lives: OUTSIDE the database, so that a copy or backup of the
 * database alone decrypts nothing and destroying an epoch key here is what makes erased
 * subjects unrecoverable from old database copies.
 *
 * Implementations: FileKeyStore (a directory of 0600 files; embedded default
 * `./.candor/keys/`, or `CANDOR_KEYSTORE=<path>` in production) and MemoryKeyStore (tests).
 * A KMS adapter (AWS KMS, GCP KMS, Vault transit) implements the same interface; none is
 * built yet because none is reachable here. With a KMS the epoch "key" could stay inside
 * the KMS (wrap/unwrap as remote calls) — the vault only needs these operations.
 *
 * All keys are per workspace (tenant id). Epoch numbers are assigned by the store and never
 * reused, even after destruction, so a number always names one key.
 */
export interface KeyStore {
  /** Where the keys are, for messages (never key material). */
  readonly description: string;
  /**
   * Checks that the store is safe to use (FileKeyStore: its directory exists and no other
   * user can read or write it), so `candor serve` refuses at start, not at the first request.
   */
  check(): Promise<void>;

  /** Creates a fresh random 32-byte epoch key with the next unused epoch number, durably. */
  createEpochKey(tenantId: string): Promise<EpochKey>;
  /** The epoch key, or null when it was destroyed or never existed. */
  getEpochKey(tenantId: string, epoch: number): Promise<Buffer | null>;
  /** Destroys the epoch key for good. Destroying a missing key is not an error. */
  destroyEpochKey(tenantId: string, epoch: number): Promise<void>;
  /** Epoch numbers whose keys still exist, ascending. */
  listLiveEpochs(tenantId: string): Promise<number[]>;

  /** HMAC key for blind indexes (created on first use). */
  blindIndexKey(tenantId: string): Promise<Buffer>;
  /** HMAC key for the audit log's subject pseudonyms (created on first use). */
  auditPseudonymKey(tenantId: string): Promise<Buffer>;
  /** HMAC key for the fingerprints of requests kept by idempotency records (created on first use). */
  requestFingerprintKey(tenantId: string): Promise<Buffer>;
  /** HMAC key that signs the links Candor puts in e-mail, such as unsubscribe links (created on first use). */
  emailLinkKey(tenantId: string): Promise<Buffer>;
  /** Ed25519 key pair that signs audit checkpoints (created on first use). */
  auditSigningKeyPair(tenantId: string): Promise<SigningKeyPair>;
  /**
   * The Ed25519 key pairs that sign consent receipts, oldest first; the last one signs, the
   * older ones still verify receipts they signed. The first is created on first use. Its own
   * keys, not the audit's: a receipt key is published to anyone holding a receipt and may be
   * rotated without touching the audit trail's trust.
   */
  receiptSigningKeyPairs(tenantId: string): Promise<SigningKeyPair[]>;
  /** Adds a receipt signing key that signs from now on (rotation); earlier keys are kept for verification. */
  rotateReceiptSigningKey(tenantId: string): Promise<void>;
}

export type EpochKey = { epoch: number; key: Buffer };
export type SigningKeyPair = { privateKey: KeyObject; publicKey: KeyObject };

export const epochKeyLength = 32;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Tenant ids become directory names: only canonical lowercase UUIDs are accepted. */
export function assertTenantId(tenantId: string): void {
  if (!uuidPattern.test(tenantId)) throw new Error('Key store: tenant id must be a lowercase UUID.');
}

export function assertEpoch(epoch: number): void {
  if (!Number.isSafeInteger(epoch) || epoch < 1) throw new Error('Key store: epoch must be a positive integer.');
}
