import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DomainError } from '../../shared/domainError.ts';
import { FileKeyStore } from './fileKeyStore.ts';
import type { KeyStore } from './keyStore.ts';

/** What openKeyStore needs from CandorConfig (loadConfig's result satisfies it). */
export type KeyStoreConfig = { databaseUrl?: string; dataDir: string };

/**
 * The key store Candor runs with:
 * - `CANDOR_KEYSTORE=<path>` or `file:///path`: a FileKeyStore in that directory;
 * - otherwise, on the embedded database, `<data dir>/keys` (`./.candor/keys/` by default);
 * - otherwise (PostgreSQL) Candor refuses to start: keys next to nothing, or inside the
 *   database, would let a database backup decrypt everything.
 * Any other scheme (a KMS) is refused until its adapter exists; it would implement KeyStore.
 */
export function openKeyStore(config: KeyStoreConfig, env: NodeJS.ProcessEnv = process.env): KeyStore {
  const named = env.CANDOR_KEYSTORE?.trim();
  if (named) return new FileKeyStore(keyStorePath(named));
  if (config.databaseUrl) {
    throw new DomainError(
      'configuration_error',
      'Candor is using PostgreSQL (DATABASE_URL is set) but has no key store: set CANDOR_KEYSTORE to a directory ' +
        'that is not backed up with the database (e.g. CANDOR_KEYSTORE=/var/lib/candor/keys, mode 0700, owned by the ' +
        'user Candor runs as). Without it a copy of the database would be enough to read personal data.',
    );
  }
  return new FileKeyStore(join(config.dataDir, 'keys'));
}

function keyStorePath(named: string): string {
  if (named.startsWith('file:')) return fileURLToPath(named);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(named)) {
    throw new DomainError(
      'configuration_error',
      `CANDOR_KEYSTORE names a ${named.slice(0, named.indexOf(':'))} key store, which this build does not support; ` +
        'set it to a directory path (a KMS adapter would implement the KeyStore interface in src/kernel/vault/keyStore.ts).',
    );
  }
  return isAbsolute(named) ? named : resolve(named);
}
