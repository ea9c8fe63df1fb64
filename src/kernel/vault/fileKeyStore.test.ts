import { sign, verify } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/domainError.ts';
import { FileKeyStore } from './fileKeyStore.ts';
import { MemoryKeyStore } from './memoryKeyStore.ts';
import type { KeyStore } from './keyStore.ts';

const tenant = '01900000-0000-7000-8000-000000000001';
const otherTenant = '01900000-0000-7000-8000-000000000002';
let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'candor-keys-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

const stores: Array<[string, () => KeyStore]> = [
  ['FileKeyStore', () => new FileKeyStore(join(root, 'keys'))],
  ['MemoryKeyStore', () => new MemoryKeyStore()],
];

describe.each(stores)('%s', (_name, makeStore) => {
  it('numbers epochs upwards, never reusing a destroyed one', async () => {
    const store = makeStore();
    const first = await store.createEpochKey(tenant);
    const second = await store.createEpochKey(tenant);
    expect([first.epoch, second.epoch]).toEqual([1, 2]);
    expect(first.key).toHaveLength(32);
    expect(first.key.equals(second.key)).toBe(false);
    await store.destroyEpochKey(tenant, 2);
    expect(await store.getEpochKey(tenant, 2)).toBeNull();
    expect((await store.createEpochKey(tenant)).epoch).toBe(3);
    expect(await store.listLiveEpochs(tenant)).toEqual([1, 3]);
    expect(await store.getEpochKey(tenant, 1)).toEqual(first.key);
    await store.destroyEpochKey(tenant, 9);
  });

  it('keeps workspaces apart and returns the same HMAC keys on every call', async () => {
    const store = makeStore();
    const blind = await store.blindIndexKey(tenant);
    expect(await store.blindIndexKey(tenant)).toEqual(blind);
    expect((await store.blindIndexKey(otherTenant)).equals(blind)).toBe(false);
    expect((await store.auditPseudonymKey(tenant)).equals(blind)).toBe(false);
    const fingerprint = await store.requestFingerprintKey(tenant);
    expect(await store.requestFingerprintKey(tenant)).toEqual(fingerprint);
    expect(fingerprint.equals(blind) || fingerprint.equals(await store.auditPseudonymKey(tenant))).toBe(false);
    expect((await store.requestFingerprintKey(otherTenant)).equals(fingerprint)).toBe(false);
    await store.createEpochKey(tenant);
    expect(await store.listLiveEpochs(otherTenant)).toEqual([]);
  });

  it('gives an Ed25519 pair whose public key verifies its signatures', async () => {
    const store = makeStore();
    const pair = await store.auditSigningKeyPair(tenant);
    expect(pair.privateKey.asymmetricKeyType).toBe('ed25519');
    const signature = sign(null, Buffer.from('checkpoint'), pair.privateKey);
    expect(verify(null, Buffer.from('checkpoint'), (await store.auditSigningKeyPair(tenant)).publicKey, signature)).toBe(true);
  });

  it('keeps receipt signing keys of their own: one on first use, the same one after, and rotation adds the next', async () => {
    const store = makeStore();
    const [first] = await store.receiptSigningKeyPairs(tenant);
    expect(first!.privateKey.asymmetricKeyType).toBe('ed25519');
    expect((await store.receiptSigningKeyPairs(tenant)).map((pair) => pair.publicKey.export({ format: 'jwk' }).x)).toEqual([
      first!.publicKey.export({ format: 'jwk' }).x,
    ]);
    expect(first!.publicKey.equals((await store.auditSigningKeyPair(tenant)).publicKey)).toBe(false);
    await store.rotateReceiptSigningKey(tenant);
    const pairs = await store.receiptSigningKeyPairs(tenant);
    expect(pairs).toHaveLength(2);
    expect(pairs[0]!.publicKey.equals(first!.publicKey)).toBe(true);
    expect(pairs[1]!.publicKey.equals(first!.publicKey)).toBe(false);
  });

  it('refuses a tenant id that is not a UUID (it becomes a path)', async () => {
    await expect(makeStore().createEpochKey('../escape')).rejects.toThrow(/UUID/);
  });
});

describe('FileKeyStore on disk', () => {
  it('keeps keys in a 0700 directory of 0600 files, readable by a second instance', async () => {
    const directory = join(root, 'keys');
    const store = new FileKeyStore(directory);
    const { epoch, key } = await store.createEpochKey(tenant);
    const blind = await store.blindIndexKey(tenant);
    await store.auditSigningKeyPair(tenant);
    expect((await stat(directory)).mode & 0o777).toBe(0o700);
    expect((await stat(join(directory, tenant))).mode & 0o777).toBe(0o700);
    const files = await readdir(join(directory, tenant));
    expect(files.sort()).toEqual(['audit-signing.key', 'blind-index.key', 'epoch-00000001.key']);
    for (const file of files) expect((await stat(join(directory, tenant, file))).mode & 0o777).toBe(0o600);
    const reopened = new FileKeyStore(directory);
    expect(await reopened.getEpochKey(tenant, epoch)).toEqual(key);
    expect(await reopened.blindIndexKey(tenant)).toEqual(blind);
  });

  it('destroys an epoch key by removing its file and leaving a tombstone', async () => {
    const directory = join(root, 'keys');
    const store = new FileKeyStore(directory);
    const { key } = await store.createEpochKey(tenant);
    await store.destroyEpochKey(tenant, 1);
    const files = await readdir(join(directory, tenant));
    expect(files).toEqual(['epoch-00000001.destroyed']);
    expect((await readFile(join(directory, tenant, files[0]))).includes(key)).toBe(false);
  });

  it('gives concurrent creators distinct epochs and one shared HMAC key', async () => {
    const directory = join(root, 'keys');
    const [a, b] = [new FileKeyStore(directory), new FileKeyStore(directory)];
    const epochs = await Promise.all([a.createEpochKey(tenant), b.createEpochKey(tenant), a.createEpochKey(tenant)]);
    expect(new Set(epochs.map((created) => created.epoch)).size).toBe(3);
    const [k1, k2] = await Promise.all([a.auditPseudonymKey(tenant), b.auditPseudonymKey(tenant)]);
    expect(k1).toEqual(k2);
  });

  it('refuses a key directory other users can read', async () => {
    const directory = join(root, 'open');
    await new FileKeyStore(directory).blindIndexKey(tenant);
    await chmod(directory, 0o755);
    const error = await new FileKeyStore(directory).blindIndexKey(tenant).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).message).toContain('chmod 700');
  });

  it('refuses, when checked at start, a key directory other users can write to', async () => {
    const directory = join(root, 'writable');
    await mkdir(directory, { mode: 0o700 });
    await chmod(directory, 0o733);
    await expect(new FileKeyStore(directory).check()).rejects.toThrow(`chmod 700 ${directory}`);
    await chmod(directory, 0o700);
    await expect(new FileKeyStore(directory).check()).resolves.toBeUndefined();
  });
});
