import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/*
 * The web figures run against Candor as a user runs it: `candor seed --demo --contacts N`
 * then `candor serve`, each its own process (bin/candor.js), on one embedded data directory.
 */

const candorBin = fileURLToPath(new URL('../../bin/candor.js', import.meta.url));

/** The bench's environment less any database settings: the data directory alone names the database. */
function candorEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CANDOR_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  for (const name of ['DATABASE_URL', 'TEST_DATABASE_URL', 'CANDOR_KEYSTORE', 'PORT', 'SMTP_URL']) delete env[name];
  return env;
}

/**
 * Seeds (or completes: the command adds only what is missing) the demo workspace, its
 * progress bars shown on this terminal. Resolves with the seconds it took.
 */
export async function seedDemo(dataDir: string, contacts: number): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [candorBin, 'seed', '--demo', '--contacts', String(contacts)], {
    env: candorEnv(dataDir),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  if (code !== 0) throw new Error(`candor seed --demo --contacts ${contacts} ended with ${code ?? signal}`);
  return (performance.now() - started) / 1000;
}

export type DemoServer = { url: string; stop(): Promise<void> };

/** `candor serve` on a free port; resolves once it prints its address. */
export async function serveDemo(dataDir: string): Promise<DemoServer> {
  const child: ChildProcess = spawn(process.execPath, [candorBin, 'serve', '--port', '0'], { env: candorEnv(dataDir), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`candor serve printed no address in 5 minutes:\n${output}`)), 300_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = output.match(/Candor is running at (http:\/\/localhost:\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    void exited.then(([code]) => {
      clearTimeout(timer);
      reject(new Error(`candor serve ended (${code}) before printing its address:\n${output}`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  // Keep draining its output so that a full pipe never blocks the server.
  child.stdout?.resume();
  child.stderr?.resume();
  return { url, stop };
}
