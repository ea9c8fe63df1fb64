import type { Database } from '../db/connection.ts';
import { appendAudit } from '../kernel/index.ts';
import { DomainError } from '../shared/domainError.ts';
import { burnPasswordCheck, verifyPassword } from './passwords.ts';
import { createSession } from './sessions.ts';
import { clearLoginFailures, consumeLoginAttempt } from './throttles.ts';
import { findUserByEmail, toPublicUser, userContext, type PublicUser } from './users.ts';
import { findWorkspaceBySlug } from './workspaces.ts';

export type LoginInput = { workspace: string; email: string; password: string; clientAddress: string };
export type LoginResult = { user: PublicUser; cookie: string; csrfToken: string; expiresAt: Date };

// One message for every way a login can fail, so a response never tells which part was wrong.
export const wrongCredentials = () =>
  new DomainError('unauthenticated', 'The workspace, e-mail address or password is not right.', [], { reason: 'wrong_credentials' });

/**
 * Checks a password login. The attempt is claimed before the password is checked (refused
 * with 429 while a back-off runs, whatever the password), so guesses cannot outpace the
 * back-off; a success clears the account's failures and gives the client its attempt back.
 * Unknown workspaces and users are throttled the same way and still cost one argon2
 * verification, so neither a 429 nor the response time reveals who has an account.
 */
export async function logIn(database: Database, input: LoginInput, now = new Date()): Promise<LoginResult> {
  await consumeLoginAttempt(database.db, input, now);

  const workspace = await findWorkspaceBySlug(database.db, input.workspace.trim().toLowerCase());
  const user = workspace ? await findUserByEmail(database.db, workspace.id, input.email) : null;
  if (!workspace || !user || user.status !== 'active' || !user.passwordHash) {
    await burnPasswordCheck(input.password);
    throw wrongCredentials();
  }
  if (!(await verifyPassword(user.passwordHash, input.password))) throw wrongCredentials();

  await clearLoginFailures(database.db, input, now);
  const session = await database.db.transaction(async (tx) => {
    const created = await createSession(tx, workspace.id, user.id);
    await appendAudit(tx, userContext(user), { action: 'session.created', object: 'user', recordIds: [user.id] });
    return created;
  });
  return { user: toPublicUser(user), ...session };
}
