import { chmodSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import { CommanderError } from 'commander';
import type { CandorConfig } from '../config.ts';
import type { Database } from '../db/connection.ts';
import { DomainError } from '../shared/domainError.ts';
import { runHostedCommand, type CommandContext, type ProgramOutput } from './cliDatabase.ts';
import { commandSocketPath, socketPathFits, frame, frameType, maxRequestBytes, type CommandEnd, type CommandRequest } from './commandSocketProtocol.ts';
import type { Command } from 'commander';

/*
 * While `candor serve` runs on the embedded database it is the database's only owner, so a
 * CLI command cannot open it; instead the CLI asks the server, over a Unix socket in the data
 * directory, to run the same command line on its database (src/cli/cliDatabase.ts). The
 * command's code is the same in both places: the server parses the CLI's arguments with the
 * same program and runs the same action.
 *
 * Access control is the socket's place: the data directory is 0700, so only the user Candor
 * runs as (and root, who can read the database files anyway) can reach the socket, which is
 * also made 0600. Node offers no way to read the peer's credentials (SO_PEERCRED), so there is
 * no second check; no token is written to disk.
 */

export type CommandSocket = { path: string; close(): Promise<void> };

export type CommandSocketOptions = {
  dataDir: string;
  database: Database;
  config: CandorConfig;
  /** A fresh program per command line, writing its help and parse errors where it is told. */
  buildProgram: (output: ProgramOutput) => Command;
  log: (line: string) => void;
};

/** Listens on `<dataDir>/candor.sock`; the caller must hold the embedded database's lock. */
export async function listenForCommands(options: CommandSocketOptions): Promise<CommandSocket> {
  const path = commandSocketPath(options.dataDir);
  if (!socketPathFits(path)) throw new Error(`the path ${path} is too long for a socket; use a shorter CANDOR_DATA_DIR`);
  // This process holds the lock, so a socket file here was left by a killed server.
  rmSync(path, { force: true });
  const running = new Set<Promise<void>>();
  const waiting = new Set<Socket>();
  const server = createServer((socket) => {
    waiting.add(socket);
    readRequest(socket)
      .then((request) => {
        waiting.delete(socket);
        if (!request) return socket.destroy();
        const command = runRequest(socket, request, options).finally(() => running.delete(command));
        running.add(command);
      })
      .catch(() => socket.destroy());
  });
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(path, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  chmodSync(path, 0o600);
  let closing: Promise<void> | null = null;
  return {
    path,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((done) => server.close(() => done()));
        for (const socket of waiting) socket.destroy();
        // Commands under way finish before the database they use is closed.
        await Promise.allSettled([...running]);
        await closed;
        rmSync(path, { force: true });
      })();
      return closing;
    },
  };
}

/** The CLI's one line of JSON; null if the connection ends first or sends something else. */
function readRequest(socket: Socket): Promise<CommandRequest | null> {
  return new Promise((resolveRequest) => {
    let received: Buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const newline = received.indexOf(10);
      if (newline < 0 && received.length < maxRequestBytes) return;
      socket.off('data', onData);
      socket.pause();
      resolveRequest(newline < 0 ? null : parseRequest(received.subarray(0, newline).toString('utf8')));
    };
    socket.on('data', onData);
    socket.once('close', () => resolveRequest(null));
    socket.once('error', () => resolveRequest(null));
  });
}

function parseRequest(text: string): CommandRequest | null {
  try {
    const value = JSON.parse(text) as Partial<CommandRequest>;
    const strings = (list: unknown) => Array.isArray(list) && list.every((item) => typeof item === 'string');
    if (!strings(value.argv) || typeof value.cwd !== 'string' || typeof value.env !== 'object' || value.env === null) return null;
    return value as CommandRequest;
  } catch {
    return null; // not a CLI of this version: the connection is closed
  }
}

/** A stream whose writes reach the CLI as frames of one type; writes after the CLI left are dropped. */
function frameStream(socket: Socket, type: number): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (socket.destroyed) return callback();
      if (socket.write(frame(type, chunk))) return callback();
      const done = () => {
        socket.off('drain', done);
        socket.off('close', done);
        callback();
      };
      socket.on('drain', done);
      socket.on('close', done);
    },
    // An export pipes into stdout and ends it; the socket stays open for stderr and the end frame.
    final: (callback) => callback(),
  });
}

async function runRequest(socket: Socket, request: CommandRequest, options: CommandSocketOptions): Promise<void> {
  socket.on('error', () => undefined); // a CLI that leaves early: the command still finishes
  let exitCode = 0;
  const stdout = frameStream(socket, frameType.stdout);
  const stderr = Object.assign(frameStream(socket, frameType.stderr), { isTTY: request.stderrIsTTY === true, columns: request.columns });
  const context: CommandContext = {
    stdout,
    stderr,
    env: { ...request.env },
    resolvePath: (path) => resolve(request.cwd, path),
    setExitCode: (code) => {
      exitCode = code;
    },
    ownsDatabase: false,
  };
  let end: CommandEnd;
  try {
    const program = options.buildProgram({ writeOut: (text) => stdout.write(text), writeErr: (text) => stderr.write(text) });
    await runHostedCommand({ database: options.database, config: options.config, context }, () => program.parseAsync(request.argv, { from: 'user' }));
    end = { exitCode };
  } catch (error) {
    if (error instanceof CommanderError) end = { exitCode: error.exitCode };
    else if (error instanceof DomainError) end = { error: { code: error.code, message: error.message } };
    else {
      options.log(`a command run for the CLI failed: ${(error as Error).stack ?? error}`);
      end = { error: { message: (error as Error).message } };
    }
  }
  if (!socket.destroyed) socket.end(frame(frameType.end, Buffer.from(JSON.stringify(end))));
}
