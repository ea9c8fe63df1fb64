import { createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/** Signs checkpoints for one workspace; the private key never leaves the key store. */
export type AuditSigner = {
  sign(data: Buffer): Buffer;
  /** Ed25519 public key: a KeyObject, 32 raw bytes, or SPKI DER. */
  publicKey: KeyObject | Buffer;
};

/**
 * The key material the audit trail needs, kept outside the database (the vault's key store
 * implements this). Asked only when needed: appends without subjects and verification
 * without a trust check work with no keys at all.
 */
export interface AuditKeys {
  /** The workspace's HMAC key for subject pseudonyms (32 bytes or more). */
  pseudonymKey(tenantId: string): Promise<Buffer>;
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

/** Random per-workspace keys held in memory: for tests, benchmarks and demos, never production. */
export function inMemoryAuditKeys(): AuditKeys {
  const pseudonymKeys = new Map<string, Buffer>();
  const signers = new Map<string, AuditSigner>();
  return {
    async pseudonymKey(tenantId) {
      let key = pseudonymKeys.get(tenantId);
      if (!key) pseudonymKeys.set(tenantId, (key = randomBytes(32)));
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

/** What the vault's key store offers for the audit trail (src/kernel/vault/keyStore.ts KeyStore fits). */
export type AuditKeySource = {
  auditPseudonymKey(tenantId: string): Promise<Buffer>;
  auditSigningKeyPair(tenantId: string): Promise<{ privateKey: KeyObject; publicKey: KeyObject }>;
};

/** Adapts the vault's key store: `configureAudit({ keys: auditKeysFrom(keyStore) })` at start-up. */
export function auditKeysFrom(source: AuditKeySource): AuditKeys {
  return {
    pseudonymKey: (tenantId) => source.auditPseudonymKey(tenantId),
    async signer(tenantId) {
      const { privateKey, publicKey } = await source.auditSigningKeyPair(tenantId);
      return { sign: (data) => sign(null, data, privateKey), publicKey };
    },
  };
}
