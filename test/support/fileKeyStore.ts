import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configureKernel } from '../../src/kernel/index.ts';
import { FileKeyStore } from '../../src/kernel/vault/index.ts';

/**
 * A key store on disk, made the kernel's, for tests of what erasure leaves to someone who
 * copied the keys before it: `backUp()` takes that copy, `backup()` opens it.
 */
export type TestFileKeyStore = {
  keyStore: FileKeyStore;
  backUp(): Promise<void>;
  backup(): FileKeyStore;
  remove(): Promise<void>;
};

export async function useFileKeyStore(prefix: string): Promise<TestFileKeyStore> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const keyStore = new FileKeyStore(join(root, 'keys'));
  configureKernel(keyStore);
  return {
    keyStore,
    backUp: () => cp(join(root, 'keys'), join(root, 'keys-backup'), { recursive: true }),
    backup: () => new FileKeyStore(join(root, 'keys-backup')),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
