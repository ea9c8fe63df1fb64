import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/connection.ts';
import { FileKeyStore, VaultDecryptError, type WrappedKeyRow } from '../src/kernel/vault/index.ts';
import { unwrapSubjectKey } from '../src/kernel/vault/keyWrap.ts';
import { candorEnv, removeTempDataDirs, runCandor, tempDataDir, testKeyStoreDir } from './support/candorProcess.ts';
import { copyMigratedDataDir } from './support/databaseTemplates.ts';
import { openTestDatabase, testDatabaseUrl, type TestDatabase } from './support/testDatabase.ts';

// `candor keys rotate` as an operator runs it, between two exports of the same contacts: a
// child process on an embedded data directory, or on PostgreSQL with CANDOR_KEYSTORE.

afterAll(() => removeTempDataDirs());

type Exported = Array<Record<string, unknown>>;

async function exportContacts(env: NodeJS.ProcessEnv): Promise<Exported> {
  const result = await runCandor(['export', '--workspace', 'rotation', '--object', 'contact', '--format', 'json', '--purpose', 'sales'], env);
  expect(result.code).toBe(0);
  expect(result.stderr).toContain('exported 30 contact(s)');
  return JSON.parse(result.stdout) as Exported;
}

describe('candor keys rotate', () => {
  it('re-wraps every subject key under a new epoch: every contact exports the same, and the retired key unwraps nothing', async () => {
    const postgres: TestDatabase | null = testDatabaseUrl ? await openTestDatabase({ migrate: false }) : null;
    try {
      const dataDir = tempDataDir();
      if (!postgres) await copyMigratedDataDir(dataDir);
      const env = postgres ? candorEnv({ DATABASE_URL: postgres.url ?? '' }) : candorEnv({ CANDOR_DATA_DIR: dataDir });
      const keyDir = postgres ? testKeyStoreDir() : join(dataDir, 'keys');

      const seeded = await runCandor(['seed', '--demo', '--contacts', '30', '--workspace', 'rotation'], env);
      expect(seeded.code).toBe(0);
      const tenantId = /\(id ([0-9a-f-]{36})\)/.exec(seeded.stdout)?.[1] ?? '';
      const before = await exportContacts(env);
      expect(before).toHaveLength(30);
      // The export really carries decrypted values, so "the same after" means something.
      expect(before.every((contact) => typeof contact.email === 'string' && String(contact.email).includes('@'))).toBe(true);
      const backupDir = tempDataDir('candor-keys-backup-');
      await cp(keyDir, backupDir, { recursive: true });

      const rotated = await runCandor(['keys', 'rotate', '--workspace', 'rotation'], env);
      expect(rotated.code).toBe(0);
      expect(rotated.stdout).toMatch(/^rotation: key epoch 1 -> 2, \d+ subject keys re-wrapped, destroyed the key of epoch 1$/m);

      expect(await exportContacts(env)).toEqual(before);

      const retiredKey = await new FileKeyStore(backupDir).getEpochKey(tenantId, 1);
      expect(retiredKey).not.toBeNull();
      expect(await new FileKeyStore(keyDir).getEpochKey(tenantId, 1)).toBeNull();
      const check = postgres ?? (await openDatabase({ dataDir, command: 'test' }));
      try {
        const rows = await check.query<WrappedKeyRow>('select subject_id, key_version, epoch, wrapped_key from subject_keys where tenant_id = $1', [tenantId]);
        expect(rows.length).toBeGreaterThanOrEqual(30);
        for (const row of rows) {
          expect(row.epoch).toBe(2);
          const binding = { tenantId, subjectId: row.subject_id, keyVersion: row.key_version, epoch: row.epoch };
          expect(() => unwrapSubjectKey(retiredKey!, binding, Buffer.from(row.wrapped_key))).toThrow(VaultDecryptError);
        }
      } finally {
        if (!postgres) await check.close();
      }
    } finally {
      await postgres?.close();
    }
  }, 300_000);
});
