import { sql } from 'drizzle-orm';
import type { Database } from '../../db/connection.ts';
import { isUuid, newId } from '../../db/ids.ts';
import { selectRows } from '../../db/rows.ts';
import { kernelKeyStore, sealPortalEmail } from '../../kernel/index.ts';
import type { PortalWorkspace } from '../requests/requestPortal.ts';
import { checkStoredCode, newVerificationCode, verificationCodeHash, verificationCodeLifetimeMs, type CodeOutcome } from '../requests/verificationCodes.ts';
import { portalSelfContext } from './portalContext.ts';
import { createPortalSession, type NewPortalSession } from './portalSessions.ts';

/*
 * Signing in to the customer privacy portal: a person types an address, a six-digit code is
 * mailed to it, and the right code opens a short session. The sign-in is stored and mailed
 * exactly alike whether or not anyone in the workspace holds the address — nothing here
 * looks it up — so the portal tells nobody who is a customer. The code is the rights
 * requests' (src/privacy/requests/verificationCodes.ts): an HMAC under the workspace's
 * e-mail-link key bound to the sign-in, 15 minutes, 5 wrong tries lock it, compared in
 * constant time, once.
 */

export type StartedSignIn = { signInId: string; expiresAt: Date; mail: { to: string; code: string; expiresAt: Date; workspaceName: string } };

/** Stores the sign-in with its sealed address and hashed code; the caller mails the code after commit. */
export async function startPortalSignIn(database: Database, workspace: PortalWorkspace, email: string, now = new Date()): Promise<StartedSignIn> {
  const ctx = portalSelfContext(workspace.id);
  const signInId = newId();
  const code = newVerificationCode();
  const expiresAt = new Date(now.getTime() + verificationCodeLifetimeMs);
  const codeHash = verificationCodeHash(await kernelKeyStore().emailLinkKey(workspace.id), signInId, code);
  const sealed = await database.db.transaction(async (tx) => {
    const seal = await sealPortalEmail(tx, ctx, signInId, email);
    await tx.execute(sql`
      insert into portal_sign_ins (tenant_id, id, sealed_email, code_hash, created_at, expires_at)
      values (${workspace.id}, ${signInId}, ${seal.sealed}, ${codeHash}, ${now.toISOString()}::timestamptz, ${expiresAt.toISOString()}::timestamptz)`);
    return seal;
  });
  return { signInId, expiresAt, mail: { to: sealed.email, code, expiresAt, workspaceName: workspace.name } };
}

type StoredSignIn = { code_hash: string; attempts: number; used_at: string | Date | null; expires_at: string | Date };

export type SignInResult = { outcome: CodeOutcome | 'unknown'; session: NewPortalSession | null };

/**
 * Checks a typed code. `wrong` counts an attempt (the caller's transaction commits, then it
 * refuses); `verified` spends the code and opens the session. An unknown sign-in is
 * `unknown`, after the same work as a wrong code.
 */
export async function verifyPortalSignIn(
  database: Database,
  workspace: PortalWorkspace,
  signInId: string,
  code: string,
  now = new Date(),
): Promise<SignInResult> {
  const key = await kernelKeyStore().emailLinkKey(workspace.id);
  const id = signInId.toLowerCase();
  return database.db.transaction(async (tx) => {
    const [row] = isUuid(id)
      ? await selectRows<StoredSignIn>(
          tx,
          sql`select code_hash, attempts, used_at, expires_at from portal_sign_ins where tenant_id = ${workspace.id} and id = ${id} for update`,
        )
      : [];
    const stored = row ? { codeHash: row.code_hash, expiresAt: row.expires_at, attempts: row.attempts, usedAt: row.used_at } : null;
    const outcome = checkStoredCode(key, id, code, stored, now);
    if (outcome === 'unknown') return { outcome, session: null };
    if (outcome === 'wrong') {
      await tx.execute(sql`update portal_sign_ins set attempts = attempts + 1 where tenant_id = ${workspace.id} and id = ${id}`);
      return { outcome, session: null };
    }
    if (outcome !== 'verified') return { outcome, session: null };
    await tx.execute(sql`update portal_sign_ins set used_at = ${now.toISOString()}::timestamptz where tenant_id = ${workspace.id} and id = ${id}`);
    return { outcome, session: await createPortalSession(tx, workspace.id, id, now) };
  });
}
