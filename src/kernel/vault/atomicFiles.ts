import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, open, unlink, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Flushes a directory's entries (a new, renamed or removed name) to disk. */
export async function fsyncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeDurably(path: string, data: Buffer, mode: number): Promise<void> {
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Creates `path` with `data` atomically and durably, never replacing an existing file:
 * write a temp file in the same directory, fsync it, hard-link it to the final name (which
 * fails with EEXIST instead of overwriting, unlike rename), drop the temp name, fsync the
 * directory. A crash leaves either no file or the whole file. Returns false when `path`
 * already existed (another process created it first).
 */
export async function createFileExclusive(path: string, data: Buffer, mode = 0o600): Promise<boolean> {
  const directory = dirname(path);
  const temporary = join(directory, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  await writeDurably(temporary, data, mode);
  let created = true;
  try {
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    created = false;
  } finally {
    await unlink(temporary);
  }
  await fsyncDirectory(directory);
  return created;
}

/**
 * Destroys a key file: overwrite its bytes with random data and fsync, unlink, fsync the
 * directory. On copy-on-write or wear-levelled storage (SSD, btrfs, ZFS, snapshots) the old
 * blocks may survive the overwrite; put the key store on storage you can trust for this,
 * or use a KMS. Missing files are ignored.
 */
export async function destroyFile(path: string): Promise<void> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const handle = await open(path, constants.O_WRONLY);
  try {
    await handle.write(randomBytes(size), 0, size, 0);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await unlink(path);
  await fsyncDirectory(dirname(path));
}
