import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { copyMigratedDataDir } from './databaseTemplates.ts';

// Runs the real `candor` command as a child process, for tests of what only separate
// processes show: the embedded-database lock, SIGKILL, progress output. By default the
// command compiled once for this run (test/support/candorCommand.ts); `{ via: 'bin' }`
// starts bin/candor.js as `npx candor` does, compiling the sources on the way.

const repository = fileURLToPath(new URL('../..', import.meta.url));
const entries = { compiled: () => inject('candorCommand'), bin: () => join(repository, 'bin/candor.js') };
export type StartOptions = {
  via?: keyof typeof entries;
  /** The working directory (default: the repository), which relative paths on the command line are relative to. */
  cwd?: string;
};

const createdDirs: string[] = [];

/** A fresh data directory; removeTempDataDirs() deletes every one made in this test file. */
export function tempDataDir(prefix = 'candor-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  createdDirs.push(dir);
  return dir;
}

/** A fresh data directory holding a migrated database, for tests not about a first start. */
export async function migratedTempDataDir(): Promise<string> {
  const dir = tempDataDir();
  await copyMigratedDataDir(dir);
  return dir;
}

export function removeTempDataDirs(): void {
  for (const dir of createdDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * The environment for a child: the parent's, minus any database settings, plus `extra`
 * (CANDOR_DATA_DIR for the embedded database, or DATABASE_URL for PostgreSQL).
 */
export function candorEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...extra };
  for (const name of ['DATABASE_URL', 'TEST_DATABASE_URL', 'CANDOR_DATA_DIR', 'CANDOR_KEYSTORE', 'PORT', 'SMTP_URL']) {
    if (!(name in extra)) delete env[name];
  }
  // PostgreSQL needs a key store outside the database: one per test file, shared by its children.
  if (env.DATABASE_URL && !env.CANDOR_KEYSTORE) env.CANDOR_KEYSTORE = testKeyStoreDir();
  return env;
}

let keyStoreDir: string | null = null;
/** The key store directory this test file's PostgreSQL children share. */
export function testKeyStoreDir(): string {
  keyStoreDir ??= tempDataDir();
  return keyStoreDir;
}

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

export type CandorProcess = {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stderr+stdout; rejects if the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<Exit>;
};

export function startCandor(args: string[], env: NodeJS.ProcessEnv, options: StartOptions = {}): CandorProcess {
  const entry = entries[options.via ?? 'compiled']();
  return startProcess(process.execPath, [entry, ...args], env, options.cwd);
}

/** Any command as a child process, watched like `candor` (`npm start` is run this way). */
export function startProcess(command: string, args: string[], env: NodeJS.ProcessEnv, cwd = repository): CandorProcess {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    notify();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    notify();
  });
  let exit: Exit | null = null;
  const exited = new Promise<Exit>((resolve) =>
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // Let the last output arrive before anyone reads it.
      setImmediate(() => {
        notify();
        resolve({ code, signal });
      });
    }),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitFor(pattern, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = `${stderr}\n${stdout}`.match(pattern);
          if (match) return finish(() => resolve(match));
          if (exit)
            finish(() =>
              reject(new Error(`${[command, ...args].join(' ')} exited (${exit?.code ?? exit?.signal}) before printing ${pattern}:\n${stderr}\n${stdout}`)),
            );
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`timed out waiting for ${pattern}:\n${stderr}\n${stdout}`))), timeoutMs);
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
  };
}

/** The address a starting server prints once it listens (after its banner's first line). */
export async function serverUrl(server: CandorProcess): Promise<string> {
  return (await server.waitFor(/Candor is running at (http:\/\/localhost:\d+)/))[1];
}

/** Runs a command to completion. */
export async function runCandor(args: string[], env: NodeJS.ProcessEnv, options: StartOptions = {}): Promise<Exit & { stdout: string; stderr: string }> {
  const running = startCandor(args, env, options);
  const exit = await running.exited;
  return { ...exit, stdout: running.stdout(), stderr: running.stderr() };
}

/** Kills a child that is still running (test cleanup); harmless when it already exited. */
export function stopCandor(running: CandorProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> | undefined {
  if (!running) return undefined;
  if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill(signal);
  return running.exited;
}
