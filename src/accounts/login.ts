import type { Database } from '../db/connection.ts';
import { appendAudit } from '../kernel/index.ts';
import { DomainError } from '../shared/domainError.ts';
import { burnPasswordCheck, verifyPassword } from './passwords.ts';
import { createSession } from './sessions.ts';
import { accountAttempt, clearAttempts, clientAttempt, consumeAttempts, forgiveAttempts, throttleRules } from './throttles.ts';
import { findUserByEmail, toPublicUser, userContext, type PublicUser } from './users.ts';
import { findWorkspaceBySlug } from './workspaces.ts';

export type LoginInput = { workspace: string; email: string; password: string; clientAddress: string };
export type LoginResult = { user: PublicUser; cookie: string; csrfToken: string; expiresAt: Date };

// One message for every way a login can fail, so a response never tells which part was wrong.
export const wrongCredentials = () =>
  new DomainError('unauthenticated', 'The workspace, e-mail address or password is not right.', [], { reason: 'wrong_credentials' });

/**
 * Checks a password login. The attempt is counted before the password is checked, so a
 * correct password during a lockout is refused too; a success clears the account's count
 * and gives the client its attempt back. Unknown workspaces and users still cost one
 * argon2 verification, so the response time does not reveal who has an account.
 */
export async function logIn(database: Database, input: LoginInput): Promise<LoginResult> {
  const account = accountAttempt(throttleRules.loginPerAccount, input.workspace, input.email);
  const client = clientAttempt(throttleRules.loginPerClient, input.clientAddress);
  await consumeAttempts(database.db, [account, client], 'Too many failed logins; wait before trying again.');

  const workspace = await findWorkspaceBySlug(database.db, input.workspace.trim().toLowerCase());
  const user = workspace ? await findUserByEmail(database.db, workspace.id, input.email) : null;
  if (!workspace || !user || user.status !== 'active' || !user.passwordHash) {
    await burnPasswordCheck(input.password);
    throw wrongCredentials();
  }
  if (!(await verifyPassword(user.passwordHash, input.password))) throw wrongCredentials();

  await clearAttempts(database.db, [account]);
  await forgiveAttempts(database.db, [client]);
  const session = await database.db.transaction(async (tx) => {
    const created = await createSession(tx, workspace.id, user.id);
    await appendAudit(tx, userContext(user), { action: 'session.created', object: 'user', recordIds: [user.id] });
    return created;
  });
  return { user: toPublicUser(user), ...session };
}
