import { AsyncLocalStorage } from 'node:async_hooks';
import { rmSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { loadConfig, type CandorConfig } from '../config.ts';
// Types only: the modules themselves are loaded when a command opens the database, so that
// `candor --help` and commands answered by a running server never load PGlite or the kernel.
import type { Database } from '../db/connection.ts';
import type { ProgressStream } from './progressBar.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError } from '../shared/domainError.ts';
import { forwardToRunningServer } from './commandSocketClient.ts';
import { commandSocketPath, socketPathFits } from './commandSocketProtocol.ts';

/**
 * Where a command writes and what it may read from its caller. A command run by `candor …`
 * itself gets the process's streams; one a running server runs for a CLI over its socket
 * gets streams that carry its output back to that CLI. Commands write through this only,
 * never to process.stdout or process.stderr (which, in the server, are the server's).
 */
export type CommandContext = {
  stdout: Writable;
  stderr: Writable & ProgressStream;
  /** The caller's environment variables a command may read (CANDOR_PASSWORD). */
  env: Record<string, string | undefined>;
  /** A path the caller typed, resolved against the caller's working directory. */
  resolvePath(path: string): string;
  setExitCode(code: number): void;
  /**
   * True when nothing else uses the database: a CLI process holding the embedded database's
   * lock. False inside a running server, whose HTTP requests share the database.
   */
  ownsDatabase: boolean;
};

/** Where a program writes its help and its parse errors. */
export type ProgramOutput = { writeOut(text: string): void; writeErr(text: string): void };

export type CommandWork = (database: Database, config: CandorConfig, context: CommandContext) => Promise<void>;

/** A command a running server runs for a CLI: its database, configuration and the CLI's streams. */
export type HostedCommand = { database: Database; config: CandorConfig; context: CommandContext };

const hosted = new AsyncLocalStorage<HostedCommand>();

/** Runs `parse` (a command line's parse and action) as a command hosted by this server. */
export function runHostedCommand<T>(host: HostedCommand, parse: () => Promise<T>): Promise<T> {
  return hosted.run(host, parse);
}

/** The context of the command running now: the CLI caller's when hosted, else this process's. */
export function commandContext(): CommandContext {
  return hosted.getStore()?.context ?? processContext(false);
}

function processContext(ownsDatabase: boolean): CommandContext {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    resolvePath: (path) => path,
    setExitCode: (code) => {
      process.exitCode = code;
    },
    ownsDatabase,
  };
}

/**
 * Runs a CLI command's database work where the database is:
 * - inside a running server that runs it for a CLI (over its socket), on the server's database;
 * - in a CLI whose embedded database a running server holds, by asking that server to run
 *   this same command line (over `<data dir>/candor.sock`) and relaying its output and exit;
 * - otherwise (no server runs, or PostgreSQL, which several processes share) by opening and
 *   migrating the database here.
 */
export async function withCliDatabase(command: string, work: CommandWork): Promise<void> {
  const host = hosted.getStore();
  if (host) return work(host.database, host.config, host.context);
  const config = loadConfig();
  const forward = async () => !config.databaseUrl && (await forwardToRunningServer(config.dataDir, process.argv.slice(2)));
  if (await forward()) return;
  // Loaded only now, so that a command a running server answers never loads PGlite or the kernel.
  const [{ openDatabase }, { migrateDatabase }, { startKernel }] = await Promise.all([
    import('../db/connection.ts'),
    import('../migrate.ts'),
    import('../kernel/index.ts'),
  ]);
  startKernel(config);
  const open = () => openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, command });
  // A server whose data directory is too deep for a socket will never answer: no waiting for it.
  const database = socketPathFits(commandSocketPath(config.dataDir)) ? await openUnlessServing(open, forward) : await open();
  if (!database) return;
  try {
    // Holding the lock, this process knows no server runs: a socket left here is a killed server's.
    if (database.kind === 'pglite') rmSync(commandSocketPath(config.dataDir), { force: true });
    await migrateDatabase(database);
    await work(database, config, processContext(database.kind === 'pglite'));
  } finally {
    await database.close();
  }
}

/** How long a command waits for a server that holds the embedded database but is still starting. */
const serverStartWaitMs = 180_000;

/**
 * Opens the database; or, when a server holds the embedded database but does not answer yet
 * (it is migrating or seeding the demo), waits for it and has it run the command (then null)
 * rather than telling the person to try again.
 */
async function openUnlessServing(open: () => Promise<Database>, forward: () => Promise<boolean>): Promise<Database | null> {
  const deadline = Date.now() + serverStartWaitMs;
  let announced = false;
  for (;;) {
    try {
      return await open();
    } catch (error) {
      const starting = error instanceof DomainError && error.code === 'database_locked' && error.detail?.holderCommand === 'serve';
      if (!starting || Date.now() > deadline) throw error;
      if (!announced) process.stderr.write(`candor: waiting for the server (process ${error.detail?.holderPid}) to finish starting…\n`);
      announced = true;
    }
    await sleep(250);
    if (await forward()) return null;
  }
}
