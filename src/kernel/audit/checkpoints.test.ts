import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkpointMessage, checkpointSignatureHolds } from './checkpoints.ts';
import { MemoryKeyStore } from '../vault/index.ts';
import { encodePublicKey, inMemoryAuditKeys } from './keys.ts';
import { legacySubjectPseudonym, subjectPseudonym } from './pseudonyms.ts';
import { auditKeysFrom } from './vaultKeys.ts';

const tenantId = '01900000-0000-7000-8000-000000000001';
const hash = 'a'.repeat(64);

describe('checkpoint signatures', () => {
  it('hold for the signed (tenant, sequence, hash) and for nothing else', async () => {
    const signer = await inMemoryAuditKeys().signer(tenantId);
    const checkpoint = {
      tenantId,
      sequence: 1000,
      hash,
      signature: signer.sign(checkpointMessage(tenantId, 1000, hash)).toString('base64'),
      publicKey: encodePublicKey(signer.publicKey),
    };
    expect(checkpointSignatureHolds(checkpoint)).toBe(true);
    expect(checkpointSignatureHolds({ ...checkpoint, sequence: 1001 })).toBe(false);
    expect(checkpointSignatureHolds({ ...checkpoint, hash: 'b'.repeat(64) })).toBe(false);
    expect(checkpointSignatureHolds({ ...checkpoint, tenantId: '01900000-0000-7000-8000-000000000002' })).toBe(false);
    const other = await inMemoryAuditKeys().signer(tenantId);
    expect(checkpointSignatureHolds({ ...checkpoint, publicKey: encodePublicKey(other.publicKey) })).toBe(false);
    expect(checkpointSignatureHolds({ ...checkpoint, publicKey: 'not a key' })).toBe(false);
  });

  it('accept a public key given as 32 raw bytes, as SPKI DER or as a KeyObject alike', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const der = publicKey.export({ format: 'der', type: 'spki' });
    const raw = der.subarray(der.length - 32);
    expect(encodePublicKey(raw)).toBe(encodePublicKey(publicKey));
    expect(encodePublicKey(der)).toBe(encodePublicKey(publicKey));
    const signature = sign(null, checkpointMessage(tenantId, 1, hash), privateKey).toString('base64');
    expect(checkpointSignatureHolds({ tenantId, sequence: 1, hash, signature, publicKey: encodePublicKey(raw) })).toBe(true);
  });
});

describe('audit keys from the vault key store', () => {
  it("sign with the store's Ed25519 pair and hand out its workspace pseudonym key for version-1 pseudonyms", async () => {
    const store = new MemoryKeyStore();
    const keys = auditKeysFrom(store);
    expect(await keys.legacyPseudonymKey(tenantId)).toEqual(await store.auditPseudonymKey(tenantId));
    const signer = await keys.signer(tenantId);
    const signature = signer.sign(checkpointMessage(tenantId, 9, hash)).toString('base64');
    const { publicKey } = await store.auditSigningKeyPair(tenantId);
    expect(checkpointSignatureHolds({ tenantId, sequence: 9, hash, signature, publicKey: encodePublicKey(publicKey) })).toBe(true);
  });
});

describe('subject pseudonyms', () => {
  const subject = '01900000-0000-7000-8000-0000000000aa';

  it('are 128-bit keyed hashes that differ by key, workspace and subject', () => {
    const key = Buffer.alloc(32, 1);
    const pseudonym = subjectPseudonym(key, tenantId, subject);
    expect(pseudonym).toMatch(/^[0-9a-f]{32}$/);
    expect(subjectPseudonym(key, tenantId, subject.toUpperCase())).toBe(pseudonym);
    expect(subjectPseudonym(Buffer.alloc(32, 2), tenantId, subject)).not.toBe(pseudonym);
    expect(subjectPseudonym(key, '01900000-0000-7000-8000-000000000002', subject)).not.toBe(pseudonym);
    expect(subjectPseudonym(key, tenantId, '01900000-0000-7000-8000-0000000000ab')).not.toBe(pseudonym);
  });

  it('of version 1 are what the previous release wrote, and never equal a version-2 pseudonym under the same key', () => {
    const key = Buffer.alloc(32, 1);
    // Computed by the release before encoding version 2; entries in the field carry it.
    expect(legacySubjectPseudonym(key, tenantId, subject)).toBe('5514d89140775e4dedabd9d41fb582ba');
    expect(subjectPseudonym(key, tenantId, subject)).not.toBe(legacySubjectPseudonym(key, tenantId, subject));
  });
});
