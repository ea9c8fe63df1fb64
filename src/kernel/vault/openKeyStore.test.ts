import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/domainError.ts';
import { FileKeyStore } from './fileKeyStore.ts';
import { openKeyStore } from './openKeyStore.ts';

describe('openKeyStore', () => {
  it('uses <data dir>/keys on the embedded database', () => {
    const store = openKeyStore({ dataDir: '/srv/candor/.candor' }, {});
    expect(store).toBeInstanceOf(FileKeyStore);
    expect(store.description).toContain('/srv/candor/.candor/keys');
  });

  it('uses CANDOR_KEYSTORE when set, as a path or a file: URL', () => {
    expect(openKeyStore({ dataDir: '/x', databaseUrl: 'postgres://db/candor' }, { CANDOR_KEYSTORE: '/etc/candor/keys' }).description).toContain(
      '/etc/candor/keys',
    );
    expect(openKeyStore({ dataDir: '/x' }, { CANDOR_KEYSTORE: 'file:///var/keys' }).description).toContain('/var/keys');
  });

  it('refuses to run on PostgreSQL without a key store, saying what to set', () => {
    const error = (() => {
      try {
        openKeyStore({ dataDir: '/x', databaseUrl: 'postgres://db/candor' }, {});
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('configuration_error');
    expect((error as DomainError).message).toContain('CANDOR_KEYSTORE');
  });

  it('refuses a KMS scheme it has no adapter for', () => {
    expect(() => openKeyStore({ dataDir: '/x' }, { CANDOR_KEYSTORE: 'aws-kms://alias/candor' })).toThrow(/does not support/);
  });
});
