import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '../shared/domainError.ts';

// PGlite has no lock of its own: two processes on one directory silently lose committed
// writes. The lock names a live process (pid plus its kernel start time, so a reused pid
// is not mistaken for the owner); a lock whose process is gone is stale and is taken over.

type LockRecord = { pid: number; startTime: string | null; command: string };

export type EmbeddedLock = { path: string; release(): void };

function processStartTime(pid: number): string | null {
  try {
    // Field 22 of /proc/<pid>/stat is the start time in clock ticks since boot. The command
    // name (field 2) may contain spaces, so count fields after its closing parenthesis.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(record: LockRecord): boolean {
  try {
    process.kill(record.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const startTime = processStartTime(record.pid);
  return record.startTime === null || startTime === null || startTime === record.startTime;
}

function readLock(path: string): LockRecord | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockRecord;
  } catch {
    return null;
  }
}

/** Who holds the lock and what the refused opener can do about it. */
function lockedMessage(dataDir: string, holder: LockRecord, opener: string): string {
  const held = `The embedded database in ${dataDir} is in use by process ${holder.pid} (candor ${holder.command}).`;
  if (holder.command !== 'serve') return `${held} Run this again when it has finished.`;
  if (opener === 'serve') return `${held} Stop that server first, or give this one another CANDOR_DATA_DIR.`;
  // A running server runs CLI commands itself (src/cli/cliDatabase.ts); this one has not started yet.
  return `${held} CLI commands run through the server once it has started (it prints "Candor is running"): run this again then, or stop the server.`;
}

export function acquireEmbeddedLock(dataDir: string, command: string): EmbeddedLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'candor.lock');
  const record: LockRecord = { pid: process.pid, startTime: processStartTime(process.pid), command };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify(record));
      closeSync(fd);
      let released = false;
      return {
        path,
        release() {
          if (released) return;
          released = true;
          if (readLock(path)?.pid === process.pid) unlinkSync(path);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLock(path);
      if (holder && isAlive(holder)) {
        throw new DomainError('database_locked', lockedMessage(dataDir, holder, command), [], { holderPid: holder.pid, holderCommand: holder.command });
      }
      // Stale (its process is gone) or half-written by a process killed mid-write.
      try {
        unlinkSync(path);
      } catch (unlinkError) {
        if ((unlinkError as NodeJS.ErrnoException).code !== 'ENOENT') throw unlinkError;
      }
    }
  }
  throw new DomainError('database_locked', `Could not take the lock on ${dataDir}; another process keeps taking it. Stop the server or use the API.`);
}
