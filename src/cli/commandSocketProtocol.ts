import { join } from 'node:path';

/*
 * The conversation between `candor <command>` and a running server over the server's Unix
 * socket. The CLI sends one line of JSON (a CommandRequest); the server runs that command
 * line and answers with frames — a type byte, a 4-byte big-endian length and the payload —
 * carrying the command's stdout and stderr as they are written, then one end frame (JSON).
 * Binary frames rather than JSON strings, so an export's bytes arrive as they were written.
 */

/** The socket a server on the embedded database listens on, in its 0700 data directory. */
export const commandSocketPath = (dataDir: string) => join(dataDir, 'candor.sock');

/**
 * Whether a socket can have this path: the system keeps at most 103 bytes of it (macOS; Linux
 * 107), and Node silently cuts a longer one, which could put the socket outside the data
 * directory. A data directory too deep for one gets no socket: CLI commands then need the
 * server stopped.
 */
export const socketPathFits = (path: string) => Buffer.byteLength(path) <= 103;

export type CommandRequest = {
  argv: string[];
  /** The CLI's working directory: paths on the command line are relative to it. */
  cwd: string;
  /** The CLI environment variables commands read (never the server's). */
  env: Record<string, string>;
  stderrIsTTY: boolean;
  columns?: number;
};

/** The environment variables a CLI passes to the command it has a server run. */
export const forwardedEnvironment = ['CANDOR_PASSWORD'] as const;

export type CommandEnd = { exitCode: number } | { error: { code?: string; message: string } };

export const frameType = { stdout: 1, stderr: 2, end: 3 } as const;

export const maxRequestBytes = 1024 * 1024;

export function frame(type: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(type, 0);
  header.writeUInt32BE(payload.length, 1);
  return Buffer.concat([header, payload]);
}

/** Splits a byte stream into frames; call push with each chunk received. */
export function frameReader(onFrame: (type: number, payload: Buffer) => void): { push(chunk: Buffer): void } {
  let pending: Buffer = Buffer.alloc(0);
  return {
    push(chunk) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= 5) {
        const length = pending.readUInt32BE(1);
        if (pending.length < 5 + length) break;
        const type = pending.readUInt8(0);
        const payload = pending.subarray(5, 5 + length);
        pending = pending.subarray(5 + length);
        onFrame(type, payload);
      }
    },
  };
}
