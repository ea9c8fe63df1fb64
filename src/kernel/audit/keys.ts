import { createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { Executor } from '../../db/connection.ts';

/** Signs checkpoints for one workspace; the private key never leaves the key store. */
export type AuditSigner = {
  sign(data: Buffer): Buffer;
  /** Ed25519 public key: a KeyObject, 32 raw bytes, or SPKI DER. */
  publicKey: KeyObject | Buffer;
};

export type PseudonymKeyOptions = {
  /**
   * Whether subjects without a key get one — only those that are records of the workspace
   * (an unknown or erased id never does). Lookups and erasure never create keys.
   */
  create: boolean;
};

/**
 * The key material the audit trail needs, kept outside the database or wrapped inside it
 * (auditKeysFrom adapts the vault). Asked only when needed: appends without subjects and
 * verification without a trust check work with no keys at all.
 */
export interface AuditKeys {
  /**
   * Each subject's pseudonym key (per subject, destroyed by its erasure; see pseudonyms.ts),
   * set-wise in the caller's transaction. Subjects without one are absent from the map.
   */
  subjectPseudonymKeys(executor: Executor, tenantId: string, subjectIds: readonly string[], options: PseudonymKeyOptions): Promise<Map<string, Buffer>>;
  /** The workspace's HMAC key of encoding-version-1 pseudonyms (entries written before version 2). */
  legacyPseudonymKey(tenantId: string): Promise<Buffer>;
  /** The workspace's current Ed25519 checkpoint signer. */
  signer(tenantId: string): Promise<AuditSigner>;
  /**
   * Public keys whose checkpoints verification trusts (current and retired signers).
   * Defaults to the current signer's key alone.
   */
  trustedPublicKeys?(tenantId: string): Promise<Array<KeyObject | Buffer>>;
}

// DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow it.
const ed25519SpkiPrefix = Buffer.from('302a300506032b6570032100', 'hex');

export function toPublicKeyObject(key: KeyObject | Buffer): KeyObject {
  if (!Buffer.isBuffer(key)) return key;
  const der = key.length === 32 ? Buffer.concat([ed25519SpkiPrefix, key]) : key;
  return createPublicKey({ key: der, format: 'der', type: 'spki' });
}

/** The form stored in audit_checkpoints.public_key: base64 of the SPKI DER. */
export function encodePublicKey(key: KeyObject | Buffer): string {
  return toPublicKeyObject(key).export({ format: 'der', type: 'spki' }).toString('base64');
}

/**
 * Random keys held in memory: for tests, benchmarks and demos, never production. Every id
 * counts as a subject (a key is made for any id when `create` is set), and nothing is ever
 * forgotten: erasure cuts pseudonyms only with the vault's keys (auditKeysFrom).
 */
export function inMemoryAuditKeys(): AuditKeys {
  const subjectKeys = new Map<string, Buffer>();
  const legacyKeys = new Map<string, Buffer>();
  const signers = new Map<string, AuditSigner>();
  return {
    async subjectPseudonymKeys(_executor, tenantId, subjectIds, { create }) {
      const found = new Map<string, Buffer>();
      for (const subjectId of subjectIds) {
        const name = `${tenantId}/${subjectId}`;
        let key = subjectKeys.get(name);
        if (!key && create) {
          key = randomBytes(32);
          subjectKeys.set(name, key);
        }
        if (key) found.set(subjectId, key);
      }
      return found;
    },
    async legacyPseudonymKey(tenantId) {
      let key = legacyKeys.get(tenantId);
      if (!key) {
        key = randomBytes(32);
        legacyKeys.set(tenantId, key);
      }
      return key;
    },
    async signer(tenantId) {
      let signer = signers.get(tenantId);
      if (!signer) {
        const { privateKey, publicKey } = generateKeyPairSync('ed25519');
        signer = { sign: (data) => sign(null, data, privateKey), publicKey };
        signers.set(tenantId, signer);
      }
      return signer;
    },
  };
}
