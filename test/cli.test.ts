import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyApiKey } from '../src/accounts/apiKeys.ts';
import { requireWorkspace } from '../src/accounts/workspaces.ts';
import { listAuditEntries } from '../src/kernel/index.ts';
import { openDatabase } from '../src/db/connection.ts';
import { candorEnv, migratedTempDataDir, removeTempDataDirs, runCandor } from './support/candorProcess.ts';

// The `candor` command as a newcomer meets it: right after `npm ci`, with no build step.
// A newcomer's first start on an empty data directory is tested by seed.test.ts and
// dataDirectoryModes.test.ts; these start from a migrated one.
afterAll(() => removeTempDataDirs());

describe('the candor command', () => {
  it('prints its help with every command, started as npx candor starts it', async () => {
    const result = await runCandor(['--help'], candorEnv({}), { via: 'bin' });
    expect(result.code).toBe(0);
    for (const command of ['serve', 'migrate', 'workspace', 'user', 'apikey', 'seed', 'import', 'export', 'verify']) {
      expect(result.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
  });

  it('prints its version from package.json', async () => {
    const result = await runCandor(['--version'], candorEnv({}), { via: 'bin' });
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('answers --help and --version without loading Fastify or PGlite (each command loads what it runs when it runs)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'candor-modules-'));
    try {
      for (const flag of ['--help', '--version']) {
        const loaded = join(dir, `${flag}.txt`);
        const env = candorEnv({ CANDOR_LOADED_MODULES: loaded, NODE_OPTIONS: '--import ./test/support/recordLoadedModules.mjs' });
        expect((await runCandor([flag], env, { via: 'bin' })).code).toBe(0);
        const modules = readFileSync(loaded, 'utf8').split('\n');
        expect(modules.some((url) => url.includes('/src/cli/program.ts'))).toBe(true);
        expect(modules.filter((url) => /\/node_modules\/(fastify|@electric-sql\/pglite|drizzle-orm)\//.test(url))).toEqual([]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('creates a workspace and an API key that is printed once, as the last line of stdout, and works', async () => {
    const env = candorEnv({ CANDOR_DATA_DIR: await migratedTempDataDir() });
    expect((await runCandor(['workspace', 'create', '--slug', 'acme', '--name', 'Acme'], env)).code).toBe(0);
    const created = await runCandor(
      ['apikey', 'create', '--workspace', 'acme', '--role', 'marketing', '--purpose', 'email_marketing', '--purpose', 'web_analytics'],
      env,
    );
    expect(created.code).toBe(0);
    const key = created.stdout.trim().split('\n').at(-1) ?? '';
    expect(key).toMatch(/^cnd_[A-Za-z0-9]{16}_[A-Za-z0-9_-]{43}$/);
    const database = await openDatabase({ dataDir: env.CANDOR_DATA_DIR, command: 'test' });
    try {
      const principal = await verifyApiKey(database.db, key);
      expect(principal?.role).toBe('marketing');
      expect(principal?.purposes).toEqual(['email_marketing', 'web_analytics']);
      expect(principal?.defaultPurpose).toBe('email_marketing');
      // Made from the command line, and as visible in the audit trail as one made in the app.
      const workspace = await requireWorkspace(database.db, 'acme');
      const created = (await listAuditEntries(database.db, workspace.id, { limit: 100 })).filter((entry) => entry.action === 'api_key.created');
      expect(created.map((entry) => ({ actor: entry.actor, recordIds: entry.recordIds, fields: entry.fields }))).toEqual([
        { actor: { type: 'system', id: 'cli' }, recordIds: [principal?.apiKeyId], fields: ['name', 'role', 'purposes', 'defaultPurpose', 'expiresAt'] },
      ]);
      expect(JSON.stringify(created)).not.toContain(key.split('_').at(-1));
    } finally {
      await database.close();
    }
  });

  it('refuses bad input with a one-line message and a non-zero exit', async () => {
    const env = candorEnv({ CANDOR_DATA_DIR: await migratedTempDataDir() });
    const unknownRole = await runCandor(['apikey', 'create', '--workspace', 'acme', '--role', 'wizard'], env);
    expect(unknownRole.code).not.toBe(0);
    expect(unknownRole.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknownRole.stderr).toMatch(/role/);
    expect(unknownRole.stdout).toBe('');
    const missingOption = await runCandor(['apikey', 'create', '--workspace', 'acme'], env);
    expect(missingOption.code).not.toBe(0);
    expect(missingOption.stderr).toBe("candor: required option '--role <role>' not specified (see --help)\n");
    expect(missingOption.stdout).toBe('');
    const unknownWorkspace = await runCandor(['apikey', 'create', '--workspace', 'nowhere', '--role', 'sales'], env);
    expect(unknownWorkspace.code).not.toBe(0);
    expect(unknownWorkspace.stderr).toMatch(/^candor: No workspace with slug "nowhere"[^\n]*\n$/);
    expect(unknownWorkspace.stdout).toBe('');
  });

  it('refuses a demo size for serve without --demo, or outside 1 to 1,000,000, before opening anything', async () => {
    const env = candorEnv({ CANDOR_DATA_DIR: await migratedTempDataDir() });
    const withoutDemo = await runCandor(['serve', '--port', '0', '--contacts', '200'], env);
    expect(withoutDemo).toMatchObject({ code: 2, stdout: '' });
    expect(withoutDemo.stderr).toMatch(/^candor: [^\n]*contacts[^\n]*--demo[^\n]*\n$/);
    const none = await runCandor(['serve', '--port', '0', '--demo', '--contacts', '0'], env);
    expect(none).toMatchObject({ code: 2, stdout: '' });
    expect(none.stderr).toMatch(/^candor: [^\n]*contacts[^\n]*1 to 1000000[^\n]*\n$/);
  });
});
