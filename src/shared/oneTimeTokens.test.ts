import { describe, expect, it } from 'vitest';
import { newId } from '../db/ids.ts';
import { issueOneTimeToken, parseOneTimeToken } from './oneTimeTokens.ts';
import { verifySecret } from './secrets.ts';

describe('one-time tokens', () => {
  it('name their row and carry a secret of which only the hash is kept', () => {
    const tenantId = newId();
    const id = newId();
    const { token, tokenHash } = issueOneTimeToken(tenantId, id);
    const parsed = parseOneTimeToken(token);
    expect(parsed).toMatchObject({ tenantId, id });
    expect(tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(token).not.toContain(tokenHash);
    expect(verifySecret(parsed?.secret ?? '', tokenHash)).toBe(true);
    expect(verifySecret('A'.repeat(43), tokenHash)).toBe(false);
  });

  it('are different every time', () => {
    const tenantId = newId();
    const id = newId();
    expect(issueOneTimeToken(tenantId, id).token).not.toBe(issueOneTimeToken(tenantId, id).token);
  });

  it('refuse anything that is not tenant.id.secret', () => {
    const { token } = issueOneTimeToken(newId(), newId());
    for (const malformed of ['', 'abc', `${token}x`, token.replace(/\.[^.]+$/, '.short'), token.replaceAll('.', '-'), ` ${token}`]) {
      expect(parseOneTimeToken(malformed), malformed).toBeNull();
    }
  });
});
