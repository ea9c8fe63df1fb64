import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyApiKey } from '../src/accounts/apiKeys.ts';
import { openDatabase } from '../src/db/connection.ts';
import {
  candorEnv,
  migratedTempDataDir,
  removeTempDataDirs,
  runCandor,
  serverUrl,
  startCandor,
  startProcess,
  stopCandor,
  type CandorProcess,
} from './support/candorProcess.ts';

// The CLI beside a running server on the embedded database, with real processes, as the
// README has a newcomer use it: `npm start` in one terminal, `npx candor …` in another (the
// README walk, test/readmeWalk.test.ts, runs the README's own blocks so). While the
// server owns the database, administration commands are run by the server over
// <data dir>/candor.sock; when none runs, the command opens the database itself. A refusal
// is one line on stderr, nothing on stdout and a non-zero exit, so
// `KEY=$(npx candor apikey create …)` cannot swallow it.

const childTimeout = 240_000;
const running: CandorProcess[] = [];
const workDirs: string[] = [];

function serve(env: NodeJS.ProcessEnv): CandorProcess {
  const server = startCandor(['serve', '--port', '0'], env);
  running.push(server);
  return server;
}

/** A directory to run the CLI in, for paths relative to the caller's working directory. */
function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'candor-cwd-'));
  workDirs.push(dir);
  return dir;
}

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The README's first API call: the arguments of `KEY=$(npx candor … | tail -1)`. */
function readmeFirstKeyCommand(): string[] {
  return (/KEY=\$\(npx candor (.*?) \| tail -1\)/.exec(readme)?.[1] ?? '').split(' ');
}

const lastLine = (text: string) => text.trim().split('\n').at(-1) ?? '';
const contactsWith = (url: string, key: string) =>
  fetch(`${url}/api/v1/contacts?limit=5`, { headers: { authorization: `Bearer ${key}`, 'candor-purpose': 'sales' } });

afterAll(async () => {
  await Promise.all(running.splice(0).map((server) => stopCandor(server, 'SIGKILL')));
  for (const dir of workDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  removeTempDataDirs();
});

describe('CLI commands while `npm start` runs on the embedded database', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let npmStart: CandorProcess;
  let url: string;

  beforeAll(async () => {
    dataDir = await migratedTempDataDir();
    env = candorEnv({ CANDOR_DATA_DIR: dataDir });
    // No server yet: this one opens the database itself.
    expect((await runCandor(['workspace', 'create', '--slug', 'acme', '--name', 'Acme'], env)).code).toBe(0);
    // As a newcomer starts it: npm runs the start script through a shell (with the demo workspace).
    npmStart = startProcess('npm', ['start', '--', '--port', '0'], env);
    running.push(npmStart);
    // The server holds the database from here, and takes seconds more to seed the demo data.
    await npmStart.waitFor(/Creating the demo workspace/);
  }, childTimeout);

  it(
    'creates an API key through the server, even when asked while it is still starting, printed alone on stdout; the server accepts it',
    async () => {
      // README, "A first API call", typed while `npm start` is still seeding the demo.
      expect(readmeFirstKeyCommand()).toEqual([
        'apikey',
        'create',
        '--workspace',
        'demo',
        '--role',
        'sales',
        '--purpose',
        'sales',
        '--purpose',
        'order_fulfilment',
      ]);
      const created = await runCandor(readmeFirstKeyCommand(), env);
      expect(created.code).toBe(0);
      expect(created.stderr).toMatch(/^candor: waiting for the server \(process \d+\) to finish starting…\nAPI key \w{16} created for demo \(sales\)/);
      expect(created.stdout).toMatch(/^cnd_\w{16}_[\w-]{43}\n$/);
      url = await serverUrl(npmStart);
      expect((await contactsWith(url, lastLine(created.stdout))).status).toBe(200);

      const socket = statSync(join(dataDir, 'candor.sock'));
      expect(socket.isSocket()).toBe(true);
      expect(socket.mode & 0o777).toBe(0o600);
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    },
    childTimeout,
  );

  it(
    'prints in its demo banner the demo password and a fresh key per demo role, as the README says, and a printed key works',
    async () => {
      const banner = (await npmStart.waitFor(/Candor is running at [\s\S]*?API keys made for this start[^\n]*\n((?: {4}\S+ +\S+ +cnd_\S+\n){6})/))[0];
      expect(banner).toContain('users (password for all: candor-demo-password)');
      expect(readme).toContain('`candor-demo-password`');
      const printed = [...banner.matchAll(/^ {4}(\S+) +(\S+) +(cnd_\w{16}_[\w-]{43})$/gm)].map(([, role, purpose, key]) => ({ role, purpose, key }));
      expect(printed.map((entry) => entry.role)).toEqual(['admin', 'privacy_officer', 'sales', 'support', 'marketing', 'analyst']);
      const sales = printed.find((entry) => entry.role === 'sales');
      expect((await contactsWith(await serverUrl(npmStart), sales?.key ?? '')).status).toBe(200);
      // Shown on the terminal only: not in the structured log on stdout, not in the data directory's files.
      for (const { key } of printed) expect(npmStart.stdout()).not.toContain(key);
    },
    childTimeout,
  );

  it(
    'lists and revokes keys through the running server, which refuses a revoked key at once',
    async () => {
      const key = lastLine(
        (await runCandor(['apikey', 'create', '--workspace', 'demo', '--role', 'sales', '--purpose', 'sales', '--name', 'to revoke'], env)).stdout,
      );
      const keyId = key.split('_')[1] ?? '';
      expect((await contactsWith(url, key)).status).toBe(200);
      const commands = [
        ['workspace', 'list'],
        ['apikey', 'list', '--workspace', 'demo'],
        ['apikey', 'revoke', keyId, '--workspace', 'demo'],
        ['user', 'list', '--workspace', 'demo'],
      ];
      const results = new Map<string, Awaited<ReturnType<typeof runCandor>>>();
      for (const args of commands) results.set(args.slice(0, 2).join(' '), await runCandor(args, env));
      expect([...results.values()].map((result) => result.code)).toEqual([0, 0, 0, 0]);
      expect(results.get('workspace list')?.stdout).toMatch(/^demo\s+Demo workspace\s/m);
      const listed = results.get('apikey list')?.stdout ?? '';
      expect(listed).toMatch(new RegExp(`^${keyId}\\s+live\\s+sales\\s.*to revoke$`, 'm'));
      expect(listed).not.toContain(key);
      expect(results.get('apikey revoke')?.stdout).toMatch(/^API key [0-9a-f-]{36} revoked\n$/);
      expect(results.get('user list')?.stdout).toMatch(/^admin@demo\.candor\.localhost\s+admin\s+active\s/m);
      expect((await contactsWith(url, key)).status).toBe(401);
      const all = await runCandor(['apikey', 'list', '--workspace', 'demo', '--include-revoked', '--json'], env);
      const keys = JSON.parse(all.stdout) as Array<{ keyId: string; revokedAt: string | null }>;
      expect(keys.find((listedKey) => listedKey.keyId === keyId)?.revokedAt).not.toBeNull();
    },
    childTimeout,
  );

  it(
    "adds a user with the caller's CANDOR_PASSWORD, who can log in, and lists users and workspaces",
    async () => {
      const password = 'a long enough password';
      const added = await runCandor(['user', 'add', '--workspace', 'acme', '--email', 'ada@acme.example', '--role', 'admin'], {
        ...env,
        CANDOR_PASSWORD: password,
      });
      expect(added.code).toBe(0);
      const login = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ workspace: 'acme', email: 'ada@acme.example', password }),
      });
      expect(login.status).toBe(200);
      expect((await runCandor(['user', 'list', '--workspace', 'acme'], env)).stdout).toMatch(/^ada@acme\.example\s+admin\s+active\s/m);
      expect((await runCandor(['workspace', 'list'], env)).stdout).toMatch(/^acme\s+Acme\s.*\ndemo\s+Demo workspace\s/m);
    },
    childTimeout,
  );

  it(
    "imports and exports through the running server with paths relative to the caller's working directory",
    async () => {
      const cwd = workDir();
      writeFileSync(join(cwd, 'people.csv'), 'first_name,last_name,email\nKira,Lindgren,kira@socket.example.com\n');
      const imported = await runCandor(['import', '--workspace', 'acme', '--object', 'contact', 'people.csv'], env, { cwd });
      expect(imported.code).toBe(0);
      expect(imported.stdout).toContain('rows read: 1, imported: 1, invalid: 0');

      const exported = await runCandor(['export', '--workspace', 'acme', '--object', 'contact', '--purpose', 'sales', '--out', 'contacts.csv'], env, { cwd });
      expect(exported.code).toBe(0);
      expect(exported.stderr).toContain('exported 1 contact(s) to contacts.csv');
      expect(statSync(join(cwd, 'contacts.csv')).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(cwd, 'contacts.csv'), 'utf8')).toContain('kira@socket.example.com');

      const toStdout = await runCandor(['export', '--workspace', 'acme', '--object', 'contact', '--purpose', 'sales', '--format', 'json'], env);
      expect((JSON.parse(toStdout.stdout) as Array<{ email: string }>).map((contact) => contact.email)).toEqual(['kira@socket.example.com']);
    },
    childTimeout,
  );

  it(
    'refuses through the running server with one line on stderr, nothing on stdout and a non-zero exit',
    async () => {
      const unknown = await runCandor(['apikey', 'create', '--workspace', 'nowhere', '--role', 'sales'], env);
      expect(unknown.code).toBe(1);
      expect(unknown.stdout).toBe('');
      expect(unknown.stderr).toMatch(/^candor: No workspace with slug "nowhere"[^\n]*\n$/);

      const noPurpose = await runCandor(['export', '--workspace', 'acme', '--object', 'contact'], env);
      expect(noPurpose.code).toBe(2);
      expect(noPurpose.stdout).toBe('');
      expect(noPurpose.stderr).toMatch(/^candor: purpose: [^\n]*--purpose <key>[^\n]*\n$/);
    },
    childTimeout,
  );

  it(
    "stops when npm start's own PID is signalled, removing its socket and lock; then the CLI opens the database itself",
    async () => {
      npmStart.child.kill('SIGTERM');
      await npmStart.exited;
      expect(npmStart.stderr()).toContain('SIGTERM received, stopping');
      expect(existsSync(join(dataDir, 'candor.sock'))).toBe(false);
      expect(existsSync(join(dataDir, 'candor.lock'))).toBe(false);
      const created = await runCandor(['apikey', 'create', '--workspace', 'acme', '--role', 'analyst'], env);
      expect(created.code).toBe(0);
      const database = await openDatabase({ dataDir, command: 'test' });
      try {
        expect((await verifyApiKey(database.db, lastLine(created.stdout)))?.role).toBe('analyst');
      } finally {
        await database.close();
      }
    },
    childTimeout,
  );

  it(
    'ignores the socket a killed server left behind, opening the database itself and removing it',
    async () => {
      const killed = serve(env);
      await serverUrl(killed);
      killed.child.kill('SIGKILL');
      await killed.exited;
      expect(statSync(join(dataDir, 'candor.sock')).isSocket()).toBe(true);
      const listed = await runCandor(['workspace', 'list'], env);
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(/^acme\s/m);
      expect(existsSync(join(dataDir, 'candor.sock'))).toBe(false);
    },
    childTimeout,
  );
});
