import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { describeStartedServer, startServer } from '../../server.ts';
import type { ProgramOutput } from '../cliDatabase.ts';
import { listenForCommands, type CommandSocket } from '../commandSocketServer.ts';

export type ServeOptions = { port?: number; host?: string; demo: boolean; demoContacts?: number };

/** `candor serve`: the server, and on the embedded database the socket CLI commands reach it by. */
export async function serve(options: ServeOptions, buildProgram: (output: ProgramOutput) => Command): Promise<void> {
  const config = loadConfig(process.env, {
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.host ? { host: options.host } : {}),
    demo: options.demo,
    ...(options.demoContacts !== undefined ? { demoContacts: options.demoContacts } : {}),
  });
  const server = await startServer(config);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  let socket: CommandSocket | null = null;
  // On PostgreSQL every CLI command opens the database itself: several processes may connect.
  if (server.database.kind === 'pglite') {
    try {
      socket = await listenForCommands({ dataDir: config.dataDir, database: server.database, config, buildProgram, log });
    } catch (error) {
      log(`CLI commands cannot reach this server (${(error as Error).message}); stop it to run them.`);
    }
  }
  log(describeStartedServer(server, config));
  const stop = async (signal: string) => {
    log(`${signal} received, stopping…`);
    await socket?.close();
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
