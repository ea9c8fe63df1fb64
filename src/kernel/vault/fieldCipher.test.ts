import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lengthPrefixed } from './canonical.ts';
import { decryptField, encryptField, sealedFromString, sealedKeyVersion, sealedOverhead, sealedToString, VaultDecryptError } from './fieldCipher.ts';
import { newSubjectKey, unwrapSubjectKey, wrapSubjectKey } from './keyWrap.ts';

const tenantId = '01900000-0000-7000-8000-000000000001';
const alice = { tenantId, subjectId: '01900000-0000-7000-8000-0000000000a1', field: 'email' };
const bob = { ...alice, subjectId: '01900000-0000-7000-8000-0000000000b0' };

describe('field encryption', () => {
  it('round-trips any bytes and adds a fixed 33-byte overhead', () => {
    const key = newSubjectKey();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 2 ** 32 - 1 }), (bytes, version) => {
        const sealed = encryptField(key, version, alice, Buffer.from(bytes));
        expect(sealed.length).toBe(bytes.length + sealedOverhead);
        expect(sealedKeyVersion(sealed)).toBe(version);
        expect(decryptField(key, alice, sealedFromString(sealedToString(sealed)))).toEqual(Buffer.from(bytes));
      }),
      { numRuns: 200 },
    );
  });

  it('uses a fresh IV, so sealing one value twice gives different ciphertexts', () => {
    const key = newSubjectKey();
    const value = Buffer.from('alice@example.org');
    expect(encryptField(key, 1, alice, value).equals(encryptField(key, 1, alice, value))).toBe(false);
  });

  it('refuses a ciphertext moved to another subject, field or workspace, even under the same key', () => {
    const key = newSubjectKey();
    const sealed = encryptField(key, 1, alice, Buffer.from('alice@example.org'));
    expect(() => decryptField(key, bob, sealed)).toThrow(VaultDecryptError);
    expect(() => decryptField(key, { ...alice, field: 'phone' }, sealed)).toThrow(VaultDecryptError);
    expect(() => decryptField(key, { ...alice, tenantId: '01900000-0000-7000-8000-000000000002' }, sealed)).toThrow(VaultDecryptError);
  });

  it('refuses a relabelled key version, a flipped bit and the wrong key', () => {
    const key = newSubjectKey();
    const sealed = encryptField(key, 1, alice, Buffer.from('alice@example.org'));
    const relabelled = Buffer.from(sealed);
    relabelled.writeUInt32BE(2, 1);
    expect(() => decryptField(key, alice, relabelled)).toThrow(VaultDecryptError);
    const flipped = Buffer.from(sealed);
    flipped[20] ^= 1;
    expect(() => decryptField(key, alice, flipped)).toThrow(VaultDecryptError);
    expect(() => decryptField(newSubjectKey(), alice, sealed)).toThrow(VaultDecryptError);
  });

  it('never names the plaintext in its error', () => {
    const sealed = encryptField(newSubjectKey(), 1, alice, Buffer.from('alice@example.org'));
    expect(() => decryptField(newSubjectKey(), alice, sealed)).toThrow(/^(?!.*alice@).*$/);
  });

  it('rejects inputs that are not sealed values', () => {
    expect(() => sealedKeyVersion(Buffer.from('plain text, not sealed at all'))).toThrow(VaultDecryptError);
  });
});

describe('subject key wrapping', () => {
  const binding = { tenantId, subjectId: alice.subjectId, keyVersion: 1, epoch: 3 };

  it('unwraps what it wrapped and binds subject, key version and epoch', () => {
    const epochKey = randomBytes(32);
    const subjectKey = newSubjectKey();
    const wrapped = wrapSubjectKey(epochKey, binding, subjectKey);
    expect(unwrapSubjectKey(epochKey, binding, wrapped)).toEqual(subjectKey);
    expect(() => unwrapSubjectKey(epochKey, { ...binding, subjectId: bob.subjectId }, wrapped)).toThrow(VaultDecryptError);
    expect(() => unwrapSubjectKey(epochKey, { ...binding, epoch: 4 }, wrapped)).toThrow(VaultDecryptError);
    expect(() => unwrapSubjectKey(epochKey, { ...binding, keyVersion: 2 }, wrapped)).toThrow(VaultDecryptError);
    expect(() => unwrapSubjectKey(randomBytes(32), binding, wrapped)).toThrow(VaultDecryptError);
  });
});

describe('canonical encoding', () => {
  it('encodes different part lists differently even when their concatenations agree', () => {
    expect(lengthPrefixed(['ab', 'c']).equals(lengthPrefixed(['a', 'bc']))).toBe(false);
    expect(lengthPrefixed(['a', '']).equals(lengthPrefixed(['a']))).toBe(false);
  });
});
