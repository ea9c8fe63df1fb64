import { DomainError } from '../shared/domainError.ts';
import { auditKeysFrom, configureAudit, resetAuditConfiguration } from './audit/index.ts';
import { MemoryKeyStore, openKeyStore, type KeyStore, type KeyStoreConfig } from './vault/index.ts';

/*
 * The kernel's process-wide key store. Process-wide, like the audit configuration, because
 * the record functions are called from every route, job and CLI command without a
 * dependency bag; the server, each CLI command and each test app set it once at start-up.
 * Keys are per workspace inside the store, so workspaces never share key material.
 */
let current: KeyStore | null = null;

/** Uses `keyStore` for sealing, blind indexes, pseudonyms and checkpoint signatures. */
export function configureKernel(keyStore: KeyStore): KeyStore {
  current = keyStore;
  configureAudit({ keys: auditKeysFrom(keyStore) });
  return keyStore;
}

/** Opens the configured key store (see openKeyStore) and makes it the kernel's. */
export function startKernel(config: KeyStoreConfig, env: NodeJS.ProcessEnv = process.env): KeyStore {
  return configureKernel(openKeyStore(config, env));
}

/** For tests running the app in-process: an in-memory store unless one is already set. */
export function ensureTestKernel(): KeyStore {
  return current ?? configureKernel(new MemoryKeyStore());
}

/**
 * Forgets the key store and the audit settings, as a process that has not started: for
 * test files that share one process, so that none inherits another's keys.
 */
export function stopKernel(): void {
  current = null;
  resetAuditConfiguration();
}

export function kernelKeyStore(): KeyStore {
  if (!current) {
    throw new DomainError('configuration_error', 'The privacy kernel has no key store: call startKernel(config) when Candor starts.');
  }
  return current;
}
