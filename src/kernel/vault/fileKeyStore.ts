import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DomainError } from '../../shared/domainError.ts';
import { createFileExclusive, destroyFile } from './atomicFiles.ts';
import { assertEpoch, assertTenantId, epochKeyLength, type EpochKey, type KeyStore, type SigningKeyPair } from './keyStore.ts';

/*
 * Layout (directories 0700, files 0600, every file written once and never modified):
 *   <dir>/<tenant-id>/epoch-00000001.key        32 random bytes
 *   <dir>/<tenant-id>/epoch-00000001.destroyed  tombstone: the number is never reused
 *   <dir>/<tenant-id>/blind-index.key           32 random bytes
 *   <dir>/<tenant-id>/audit-pseudonym.key       32 random bytes
 *   <dir>/<tenant-id>/request-fingerprint.key   32 random bytes
 *   <dir>/<tenant-id>/audit-signing.key         Ed25519 private key, PKCS#8 DER
 *   <dir>/<tenant-id>/receipt-signing-00000001.key  Ed25519 private key (PKCS#8 DER) signing
 *                                               consent receipts; rotation adds the next number
 * Epoch keys are read from disk on every use rather than cached, so a key destroyed by
 * another process (`candor keys advance-epoch` next to a running server) is gone for this
 * one too. The never-destroyed HMAC and signing keys are cached.
 */
const epochFile = /^epoch-(\d+)\.(key|destroyed)$/;
const epochName = (epoch: number, suffix: 'key' | 'destroyed') => `epoch-${String(epoch).padStart(8, '0')}.${suffix}`;
const receiptKeyFile = /^receipt-signing-(\d+)\.key$/;
const receiptKeyName = (number: number) => `receipt-signing-${String(number).padStart(8, '0')}.key`;

export class FileKeyStore implements KeyStore {
  readonly description: string;
  private readonly directory: string;
  private ready: Promise<void> | null = null;
  private readonly secretCache = new Map<string, Buffer>();
  private readonly signingCache = new Map<string, SigningKeyPair>();

  constructor(directory: string) {
    this.directory = directory;
    this.description = `key directory ${directory}`;
  }

  async check(): Promise<void> {
    this.ready ??= ensurePrivateDirectory(this.directory);
    await this.ready;
  }

  async createEpochKey(tenantId: string): Promise<EpochKey> {
    const directory = await this.tenantDirectory(tenantId);
    for (;;) {
      const used = (await readdir(directory)).map((name) => epochFile.exec(name)).filter((match) => match !== null);
      const epoch = used.reduce((highest, match) => Math.max(highest, Number(match[1])), 0) + 1;
      const key = randomBytes(epochKeyLength);
      // Lost a race with another process for this number: look again and take the next.
      if (await createFileExclusive(join(directory, epochName(epoch, 'key')), key)) return { epoch, key };
    }
  }

  async getEpochKey(tenantId: string, epoch: number): Promise<Buffer | null> {
    assertEpoch(epoch);
    const directory = await this.tenantDirectory(tenantId);
    return readKeyFile(join(directory, epochName(epoch, 'key')));
  }

  async destroyEpochKey(tenantId: string, epoch: number): Promise<void> {
    assertEpoch(epoch);
    const directory = await this.tenantDirectory(tenantId);
    // Tombstone first: a crash between the two steps must not let the number be reused.
    await createFileExclusive(join(directory, epochName(epoch, 'destroyed')), Buffer.from(`${new Date().toISOString()}\n`));
    await destroyFile(join(directory, epochName(epoch, 'key')));
  }

  async listLiveEpochs(tenantId: string): Promise<number[]> {
    const directory = await this.tenantDirectory(tenantId);
    return (await readdir(directory))
      .map((name) => epochFile.exec(name))
      .filter((match) => match !== null && match[2] === 'key')
      .map((match) => Number(match![1]))
      .sort((a, b) => a - b);
  }

  blindIndexKey(tenantId: string): Promise<Buffer> {
    return this.secret(tenantId, 'blind-index.key');
  }

  auditPseudonymKey(tenantId: string): Promise<Buffer> {
    return this.secret(tenantId, 'audit-pseudonym.key');
  }

  requestFingerprintKey(tenantId: string): Promise<Buffer> {
    return this.secret(tenantId, 'request-fingerprint.key');
  }

  emailLinkKey(tenantId: string): Promise<Buffer> {
    return this.secret(tenantId, 'email-link.key');
  }

  async auditSigningKeyPair(tenantId: string): Promise<SigningKeyPair> {
    const cached = this.signingCache.get(tenantId);
    if (cached) return cached;
    const path = join(await this.tenantDirectory(tenantId), 'audit-signing.key');
    let der = await readFile(path).catch(ignoreMissing);
    if (!der) {
      const generated = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'der' });
      await createFileExclusive(path, generated);
      der = await readFile(path);
    }
    const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    const pair = { privateKey, publicKey: createPublicKey(privateKey) };
    this.signingCache.set(tenantId, pair);
    return pair;
  }

  async receiptSigningKeyPairs(tenantId: string): Promise<SigningKeyPair[]> {
    const directory = await this.tenantDirectory(tenantId);
    let numbers = await receiptKeyNumbers(directory);
    if (numbers.length === 0) {
      // Another process may create the first key at the same time: its key wins.
      await createFileExclusive(join(directory, receiptKeyName(1)), newSigningKeyDer());
      numbers = await receiptKeyNumbers(directory);
    }
    // Listed on every call (a rotation by `candor` next to a running server shows at once); parsed keys are cached.
    return Promise.all(numbers.map((number) => this.signingPair(join(directory, receiptKeyName(number)))));
  }

  async rotateReceiptSigningKey(tenantId: string): Promise<void> {
    const directory = await this.tenantDirectory(tenantId);
    for (;;) {
      const next = Math.max(0, ...(await receiptKeyNumbers(directory))) + 1;
      if (await createFileExclusive(join(directory, receiptKeyName(next)), newSigningKeyDer())) return;
    }
  }

  private async signingPair(path: string): Promise<SigningKeyPair> {
    const cached = this.signingCache.get(path);
    if (cached) return cached;
    const privateKey = createPrivateKey({ key: await readFile(path), format: 'der', type: 'pkcs8' });
    const pair = { privateKey, publicKey: createPublicKey(privateKey) };
    this.signingCache.set(path, pair);
    return pair;
  }

  private async secret(tenantId: string, name: string): Promise<Buffer> {
    const cacheKey = `${tenantId}/${name}`;
    const cached = this.secretCache.get(cacheKey);
    if (cached) return cached;
    const path = join(await this.tenantDirectory(tenantId), name);
    let key = await readKeyFile(path);
    if (!key) {
      // If another process created it first, its key wins and is read back.
      await createFileExclusive(path, randomBytes(epochKeyLength));
      key = await readKeyFile(path);
      if (!key) throw new Error(`Key store: ${name} could not be created.`);
    }
    this.secretCache.set(cacheKey, key);
    return key;
  }

  private async tenantDirectory(tenantId: string): Promise<string> {
    assertTenantId(tenantId);
    await this.check();
    const directory = join(this.directory, tenantId);
    await mkdir(directory, { mode: 0o700, recursive: true });
    return directory;
  }
}

async function ensurePrivateDirectory(directory: string): Promise<void> {
  await mkdir(directory, { mode: 0o700, recursive: true });
  const mode = (await stat(directory)).mode & 0o777;
  if (mode & 0o077) {
    throw new DomainError(
      'configuration_error',
      `The key store ${directory} is open to other users (mode ${mode.toString(8)}); run \`chmod 700 ${directory}\`.`,
    );
  }
}

const newSigningKeyDer = () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'der' });

async function receiptKeyNumbers(directory: string): Promise<number[]> {
  return (await readdir(directory))
    .map((name) => receiptKeyFile.exec(name))
    .filter((match) => match !== null)
    .map((match) => Number(match[1]))
    .sort((a, b) => a - b);
}

async function readKeyFile(path: string): Promise<Buffer | null> {
  const key = await readFile(path).catch(ignoreMissing);
  if (key && key.length !== epochKeyLength) throw new Error(`Key store: ${path} is not a ${epochKeyLength}-byte key.`);
  return key;
}

function ignoreMissing(error: unknown): null {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
  throw error;
}
