import { hashSecret, randomToken } from './secrets.ts';

// One-time tokens (invitations, password resets, double opt-in confirmations) name their row (tenant and id, neither of them
// personal) so the lookup is one primary-key read, plus a 256-bit secret of which only the
// SHA-256 is stored and which is compared in constant time (secrets.verifySecret).

export type OneTimeToken = { tenantId: string; id: string; secret: string };

const tokenPattern =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

export function issueOneTimeToken(tenantId: string, id: string): { token: string; tokenHash: string } {
  const secret = randomToken(32);
  return { token: `${tenantId}.${id}.${secret}`, tokenHash: hashSecret(secret) };
}

export function parseOneTimeToken(token: string): OneTimeToken | null {
  const match = tokenPattern.exec(token);
  if (!match) return null;
  return { tenantId: match[1], id: match[2], secret: match[3] };
}
