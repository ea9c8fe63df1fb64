import { connect, type Socket } from 'node:net';
import { DomainError, type DomainErrorCode } from '../shared/domainError.ts';
import {
  commandSocketPath,
  socketPathFits,
  forwardedEnvironment,
  frameReader,
  frameType,
  type CommandEnd,
  type CommandRequest,
} from './commandSocketProtocol.ts';

/** Connects to a running server's socket; null when none answers (no file, or a killed server's). */
function connectToServer(path: string): Promise<Socket | null> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => resolve(socket));
    // ENOENT: no server. ECONNREFUSED: the socket of a killed server, which is ignored (the
    // next process to hold the lock removes it). Anything else (a path too long for a
    // socket, no permission) also means no server can be asked: the database lock decides.
    socket.once('error', () => resolve(null));
  });
}

/**
 * Has the server running on this embedded data directory run `argv`, relaying its stdout
 * and stderr here as they come and taking its exit status. False when no server answers.
 */
export async function forwardToRunningServer(dataDir: string, argv: string[]): Promise<boolean> {
  const path = commandSocketPath(dataDir);
  if (!socketPathFits(path)) return false;
  const socket = await connectToServer(path);
  if (!socket) return false;
  const env: Record<string, string> = {};
  for (const name of forwardedEnvironment) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  const request: CommandRequest = {
    argv,
    cwd: process.cwd(),
    env,
    stderrIsTTY: process.stderr.isTTY === true,
    ...(process.stderr.columns ? { columns: process.stderr.columns } : {}),
  };
  const end = await new Promise<CommandEnd>((resolve, reject) => {
    let ended: CommandEnd | null = null;
    const reader = frameReader((type, payload) => {
      if (type === frameType.end) {
        ended = JSON.parse(payload.toString('utf8')) as CommandEnd;
        return;
      }
      const target = type === frameType.stdout ? process.stdout : process.stderr;
      // An export can be large: stop reading while the terminal or pipe catches up.
      if (!target.write(payload)) {
        socket.pause();
        target.once('drain', () => socket.resume());
      }
    });
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    socket.once('error', reject);
    socket.once('close', () => {
      if (ended) resolve(ended);
      else reject(new Error('the running server closed the connection before the command finished; see its log'));
    });
    socket.write(`${JSON.stringify(request)}\n`);
  });
  if ('error' in end) {
    if (end.error.code) throw new DomainError(end.error.code as DomainErrorCode, end.error.message);
    throw new Error(end.error.message);
  }
  if (end.exitCode !== 0) process.exitCode = end.exitCode;
  return true;
}
