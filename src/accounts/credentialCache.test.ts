import { describe, expect, it } from 'vitest';
import { credentialCacheKey, forgetCredentials, rememberCredential } from './credentialCache.ts';

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
