import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { logIn } from '../src/accounts/login.ts';
import { addUser } from '../src/accounts/users.ts';
import { createWorkspace } from '../src/accounts/workspaces.ts';
import { unlockUserCommand } from '../src/cli/actions/user.ts';
import { openDatabase, type Database } from '../src/db/connection.ts';
import { candorEnv, migratedTempDataDir, removeTempDataDirs, runCandor } from './support/candorProcess.ts';

// `candor user unlock` as the README shows it, run as a child process on a data directory
// whose account five wrong passwords have slowed down.

afterAll(() => removeTempDataDirs());

/** The unlock example of README.md, as the words a shell would pass to `candor`. */
function readmeUnlockCommand(): string[] {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const example = readme.match(/`npx candor (user unlock [^`]+)`/);
  if (!example) throw new Error('README.md shows no `npx candor user unlock …` example');
  return example[1].split(/\s+/);
}

const optionOf = (args: string[], name: string) => args[args.indexOf(name) + 1];

async function withDatabase<T>(dataDir: string, work: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase({ dataDir, command: 'test' });
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

describe('candor user unlock', () => {
  it("lets the right password in at once after the README's unlock command, and refuses an unknown address", async () => {
    const unlock = readmeUnlockCommand();
    const [workspace, email] = [optionOf(unlock, '--workspace'), optionOf(unlock, '--email')];
    const dataDir = await migratedTempDataDir();
    const env = candorEnv({ CANDOR_DATA_DIR: dataDir });
    const password = 'correct horse battery staple';
    const attempt = (pass: string) => ({ workspace, email, password: pass, clientAddress: '192.0.2.50' });
    await withDatabase(dataDir, async (database) => {
      const created = await createWorkspace(database.db, { slug: workspace, name: 'Unlock test' });
      await addUser(database.db, { tenantId: created.id, email, displayName: 'Ada', role: 'admin', password });
      for (let index = 0; index < 5; index += 1) await expect(logIn(database, attempt('wrong password!'))).rejects.toMatchObject({ code: 'unauthenticated' });
      await expect(logIn(database, attempt(password))).rejects.toMatchObject({ code: 'rate_limited' });
    });

    const result = await runCandor(unlock, env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^user [0-9a-f-]{36} unlocked in /);
    expect(result.stdout).not.toContain(email);

    await withDatabase(dataDir, async (database) => {
      expect((await logIn(database, attempt(password))).user.email).toBe(email);
      // An address with no account is named as such (main.ts prints it as one line on stderr).
      await expect(unlockUserCommand(database, { workspace, email: 'nobody@acme.example' })).rejects.toMatchObject({
        code: 'not_found',
        message: 'No user with that e-mail address in this workspace.',
      });
    });
  });
});
