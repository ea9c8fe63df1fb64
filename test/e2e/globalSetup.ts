import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { buildCandorCommand } from '../support/candorCommand.ts';
import { candorEnv, serverUrl, startProcess, stopCandor } from '../support/candorProcess.ts';
import { copyMigratedDataDir } from '../support/databaseTemplates.ts';
import type { E2eServer } from './support/e2eServer.ts';

/*
 * One Candor for every browser test: the web app built as `npm start` builds it (only when
 * its sources changed), and `candor serve --demo` with a small demo workspace (300 contacts
 * with their companies, deals, activities, purchases and events; the six demo users) on an
 * embedded data directory of its own. The tests share it, so each works in the demo
 * workspace without undoing what another did; they read the address and the demo keys the
 * banner printed through inject('e2eServer').
 */

const repository = fileURLToPath(new URL('../..', import.meta.url));
export const demoContacts = 300;

/** A port nothing listens on now, so the server's public URL (in its e-mailed links) names the port it gets. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The banner's demo keys: "    sales   sales   cnd_…" per role. */
function demoKeysIn(banner: string): Record<string, string> {
  return Object.fromEntries([...banner.matchAll(/^ {4}([a-z_]+) +[a-z_]+ +(cnd_\S+)$/gm)].map((match) => [match[1], match[2]]));
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await promisify(execFile)(process.execPath, [join(repository, 'web/scripts/buildIfChanged.mjs')], { cwd: repository });
  const command = await buildCandorCommand();
  const dataDir = mkdtempSync(join(tmpdir(), 'candor-e2e-'));
  await copyMigratedDataDir(dataDir);
  const port = await freePort();
  const server = startProcess(
    process.execPath,
    [command.file, 'serve', '--demo', '--contacts', String(demoContacts), '--port', String(port)],
    candorEnv({ CANDOR_DATA_DIR: dataDir }),
  );
  const cleanUp = async () => {
    await stopCandor(server);
    command.remove();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const url = await serverUrl(server);
    await server.waitFor(/Outgoing mail: /);
    const e2eServer: E2eServer = { url, keys: demoKeysIn(server.stderr()) };
    project.provide('e2eServer', e2eServer);
  } catch (error) {
    await cleanUp();
    throw error;
  }
  return cleanUp;
}
