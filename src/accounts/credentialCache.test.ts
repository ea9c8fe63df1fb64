import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/connection.ts';
import { credentialCacheKey, forgetCredentials, rememberCredential, revokingTransaction } from './credentialCache.ts';

describe('the credential cache', () => {
  it('reuses a verified credential within a second and looks it up again after', async () => {
    let lookups = 0;
    const load = async () => {
      lookups += 1;
      return { ok: true };
    };
    const key = credentialCacheKey('cnd_a_b', 'sales');
    await rememberCredential(key, load, 1_000);
    await rememberCredential(key, load, 1_500);
    expect(lookups).toBe(1);
    await rememberCredential(key, load, 2_001);
    expect(lookups).toBe(2);
  });

  it('forgets everything at once on revocation', async () => {
    let lookups = 0;
    const load = async () => ({ lookups: ++lookups });
    const key = credentialCacheKey('cnd_c_d', undefined);
    await rememberCredential(key, load, 10_000);
    forgetCredentials();
    await rememberCredential(key, load, 10_001);
    expect(lookups).toBe(2);
  });

  it('forgets a key verified while a revoking transaction ran, once it commits, and also when it fails', async () => {
    const database = await openDatabase({ dataDir: 'memory' });
    try {
      let lookups = 0;
      const load = async () => ({ lookups: ++lookups });
      const key = credentialCacheKey('cnd_e_f', 'sales');
      const now = Date.now();
      await revokingTransaction(database.db, async () => {
        // A request verified mid-transaction still sees the old, committed state…
        await rememberCredential(key, load, now);
      });
      // …and must not keep it once the revocation is visible.
      await rememberCredential(key, load, now + 1);
      expect(lookups).toBe(2);
      await expect(
        revokingTransaction(database.db, async () => {
          await rememberCredential(key, load, now + 2);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await rememberCredential(key, load, now + 3);
      expect(lookups).toBe(3);
    } finally {
      await database.close();
    }
  });

  it('never remembers a failed verification', async () => {
    let lookups = 0;
    const load = async () => {
      lookups += 1;
      return null;
    };
    const key = credentialCacheKey('cnd_e_f', undefined);
    await rememberCredential(key, load, 20_000);
    await rememberCredential(key, load, 20_001);
    expect(lookups).toBe(2);
  });

  it('keys entries by a hash, never by the presented secret', () => {
    expect(credentialCacheKey('cnd_secret_value', 'sales')).not.toContain('secret');
  });
});
