import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { candorEnv, removeTempDataDirs, startCandor, stopCandor, tempDataDir, type CandorProcess } from './support/candorProcess.ts';
import { copyMigratedDataDir } from './support/databaseTemplates.ts';
import { testDatabaseUrl } from './support/testDatabase.ts';

// The outside tester's finding: PGlite writes its files 0666 in a 0755 directory, so any
// local user could rewrite users, keys and the audit trail. `candor serve` as an operator runs
// it, in child processes: it refuses a directory others can write to, and leaves nothing in
// its data directory that another user can read or write.

const running: CandorProcess[] = [];
const childTimeout = 240_000;

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => stopCandor(server, 'SIGKILL')));
});
afterAll(() => removeTempDataDirs());

/** Every path under `root` (itself included) whose mode grants group or other users anything. */
function openToOthers(root: string): string[] {
  const open: string[] = [];
  const visit = (path: string) => {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return;
    if (stat.mode & 0o077) open.push(`${(stat.mode & 0o777).toString(8)} ${path}`);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(root);
  return open;
}

async function serveUntilRunning(env: NodeJS.ProcessEnv): Promise<CandorProcess> {
  const server = startCandor(['serve', '--port', '0'], env);
  running.push(server);
  await server.waitFor(/Candor is running at/);
  return server;
}

/** Runs `candor serve` until it exits (a refusal) or starts listening (then it is stopped and reported as started). */
async function serveOutcome(env: NodeJS.ProcessEnv): Promise<{ started: boolean; code: number | null; stderr: string }> {
  const server = startCandor(['serve', '--port', '0'], env);
  running.push(server);
  const started = await Promise.race([
    server.waitFor(/Candor is running at/).then(
      () => true,
      () => false,
    ),
    server.exited.then(() => false),
  ]);
  if (started) await stopCandor(server, 'SIGKILL');
  const exit = await server.exited;
  return { started, code: exit.code, stderr: server.stderr() };
}

describe.skipIf(Boolean(testDatabaseUrl))('the embedded data directory', () => {
  for (const mode of [0o777, 0o775]) {
    it(
      `is refused by candor serve when it is ${mode === 0o777 ? 'world' : 'group'}-writable (mode ${mode.toString(8)}), with one line naming the fix`,
      async () => {
        const dataDir = join(tempDataDir(), 'data');
        mkdirSync(dataDir);
        chmodSync(dataDir, mode);
        const result = await serveOutcome(candorEnv({ CANDOR_DATA_DIR: dataDir }));
        expect(result.started).toBe(false);
        expect(result.code).not.toBe(0);
        const lines = result.stderr.trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toContain(`chmod 700 ${dataDir}`);
        // Refused before anything was written into it.
        expect(readdirSync(dataDir)).toEqual([]);
      },
      childTimeout,
    );
  }

  it(
    'is created 0700 and, after a start, holds no file another user can read or write',
    async () => {
      const dataDir = join(tempDataDir(), 'fresh');
      const server = await serveUntilRunning(candorEnv({ CANDOR_DATA_DIR: dataDir }));
      expect(lstatSync(dataDir).mode & 0o777).toBe(0o700);
      expect(openToOthers(dataDir)).toEqual([]);
      await stopCandor(server, 'SIGTERM');
      expect(openToOthers(dataDir)).toEqual([]);
    },
    childTimeout,
  );

  it(
    'has the modes of files an earlier version left open (PGlite writes 0666) restricted at start',
    async () => {
      const dataDir = join(tempDataDir(), 'upgraded');
      mkdirSync(dataDir, { mode: 0o755 });
      chmodSync(dataDir, 0o755);
      // A database PGlite wrote, as an earlier version left it (migrated, so the start is quick).
      await copyMigratedDataDir(dataDir);
      expect(openToOthers(dataDir).length).toBeGreaterThan(100);
      await serveUntilRunning(candorEnv({ CANDOR_DATA_DIR: dataDir }));
      expect(openToOthers(dataDir)).toEqual([]);
    },
    childTimeout,
  );

  it(
    'keeps its key store private: candor serve refuses a key directory other users can read',
    async () => {
      const dataDir = join(tempDataDir(), 'keys-open');
      const keys = join(dataDir, 'keys');
      mkdirSync(keys, { recursive: true, mode: 0o700 });
      chmodSync(keys, 0o755);
      const result = await serveOutcome(candorEnv({ CANDOR_DATA_DIR: dataDir }));
      expect(result.started).toBe(false);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(`chmod 700 ${keys}`);
    },
    childTimeout,
  );
});
