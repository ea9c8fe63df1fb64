import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { candorEnv, removeTempDataDirs, serverUrl, startProcess, stopCandor, tempDataDir, type CandorProcess } from './support/candorProcess.ts';
import { matchesDocumented } from './support/readme.ts';
import { blockPlace, fencedBlocks, shellLanguages, walkPlan, type WalkStep } from './support/readmeBlocks.ts';
import { runShellSession, type BlockRun } from './support/readmeShellSession.ts';

/*
 * README.md as a test. The server is started as its Start block says (`npm start`, on a
 * fresh data directory and a free port: CANDOR_DATA_DIR and PORT, both documented), then
 * every shell block of the README runs in order in one bash session, from the repository's
 * folder with `npx candor` as a reader runs it; the only change to the text is the server's
 * address for `localhost:3000`, the one thing the README tells the reader to adapt. A block
 * passes when it exits 0 and prints what the `json` block after it shows. Blocks that cannot
 * run here are marked `<!-- not run: reason -->` (test/support/readmeBlocks.ts).
 */

const repository = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(join(repository, 'README.md'), 'utf8');
const plan = walkPlan(readme);
const documentedHost = 'localhost:3000';
const childTimeout = 240_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Files the examples write in the repository's folder (`--out contacts.csv`): each is put
 * back as it was after the walk, or removed if the walk made it.
 */
function keepWrittenFiles(texts: string[]): () => void {
  const names = new Set(texts.flatMap((text) => text.split(/[\s"'(),=:;|<>]+/)).filter((word) => /^[A-Za-z0-9][\w.-]*\.(csv|json|txt|log)$/.test(word)));
  const saved = new Map<string, Buffer | null>();
  for (const name of names) {
    const path = join(repository, name);
    saved.set(path, existsSync(path) && statSync(path).isFile() ? readFileSync(path) : null);
  }
  return () => {
    for (const [path, content] of saved) {
      if (content) writeFileSync(path, content);
      else rmSync(path, { force: true });
    }
  };
}

const tail = (text: string) => (text.length > 4_000 ? `…${text.slice(-4_000)}` : text);

function failure(step: WalkStep, run: BlockRun, why: string): string {
  return [`${blockPlace(step.block)}: ${why}`, step.block.text.trimEnd(), '--- stdout', tail(run.stdout), '--- stderr', tail(run.stderr)].join('\n');
}

/** A problem+json answer (one line, as curl prints it) from a block that shows no output: a refused `curl` example. */
function printedProblem(stdout: string): string | undefined {
  return stdout.split('\n').find((line) => line.startsWith('{') && /"status":\s*[45]\d\d\b/.test(line) && /"code":/.test(line));
}

describe('README walk: how it reads and runs blocks', () => {
  const sample = [
    '## Using it',
    '```sh',
    'X=1',
    '```',
    '',
    '```json',
    '{ "a": 1 }',
    '```',
    '<!-- not run: needs a mail server -->',
    '```bash',
    'sendmail',
    '```',
    '- in a list:',
    '  ```sh',
    '  echo "$X"',
    '  ```',
    'text',
    '```json',
    '{}',
    '```',
    '```http',
    'curl -X POST http://localhost:3000/',
    '```',
    '<!-- not run:  -->',
    '```sh',
    'true',
    '```',
  ].join('\n');

  it('runs unmarked shell blocks, indented ones too, with the json block right after one as its output', () => {
    const sorted = walkPlan(sample);
    expect(sorted.steps.map((step) => [step.block.text, step.block.heading, step.output?.text ?? null])).toEqual([
      ['X=1\n', 'Using it', '{ "a": 1 }\n'],
      ['echo "$X"\n', 'Using it', null],
    ]);
    expect(sorted.notRun.map((block) => [block.line, block.notRun])).toEqual([
      [10, 'needs a mail server'],
      [25, ''],
    ]);
    expect(sorted.unexplained.map(blockPlace)).toEqual(['README.md:25 (Using it)']);
    expect(sorted.commandsOutsideShell.map(blockPlace)).toEqual(['README.md:21 (Using it)']);
  });

  it('runs blocks in one bash session, telling apart what each printed and which one stopped it', async () => {
    const session = await runShellSession(['X=walked', 'printf %s "$X"; echo " to stderr" >&2', 'echo partly; false', 'echo never'], {
      cwd: repository,
      env: process.env,
      scriptDir: tempDataDir('candor-walk-'),
      timeoutMs: 10_000,
    });
    expect(session.code).toBe(1);
    expect(session.runs).toEqual([
      { started: true, finished: true, stdout: '', stderr: '' },
      { started: true, finished: true, stdout: 'walked', stderr: ' to stderr\n' },
      { started: true, finished: false, stdout: 'partly\n', stderr: '' },
      { started: false, finished: false, stdout: '', stderr: '' },
    ]);
  });
});

describe('README: which blocks the walk runs', () => {
  it('runs every shell block not marked `<!-- not run: reason -->`, and every marked one gives its reason', () => {
    expect(plan.unexplained.map(blockPlace)).toEqual([]);
    expect(plan.steps.length).toBeGreaterThanOrEqual(7);
    expect(plan.steps.some((step) => step.block.heading === 'A first API call' && step.output !== null)).toBe(true);
  });

  it('finds no command to run in a block that is not a shell block', () => {
    expect(plan.commandsOutsideShell.map(blockPlace)).toEqual([]);
  });

  it('starts the server as the first shell block, under Start, says', () => {
    const [start] = fencedBlocks(readme).filter((block) => shellLanguages.has(block.language));
    expect(start.heading).toBe('Start');
    expect(start.text).toBe('npm ci && npm start\n');
    expect(start.notRun).not.toBeNull();
  });
});

describe('README: every example in order, against `npm start`', () => {
  let server: CandorProcess;
  let address: string;
  let dataDir: string;
  let startSeconds: string;

  beforeAll(async () => {
    const startedAt = Date.now();
    const port = await freePort();
    // Not created yet, as `./.candor` is before a first start.
    dataDir = join(tempDataDir('candor-readme-'), '.candor');
    server = startProcess('npm', ['start'], candorEnv({ CANDOR_DATA_DIR: dataDir, PORT: String(port) }));
    address = await serverUrl(server);
    expect(address).toBe(`http://localhost:${port}`);
    startSeconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  }, childTimeout);

  afterAll(async () => {
    await stopCandor(server);
    removeTempDataDirs();
  });

  it(
    'runs each shell block in one bash session: each exits 0 and prints what the README shows',
    async () => {
      const startedAt = Date.now();
      const texts = plan.steps.map((step) => step.block.text.replaceAll(documentedHost, new URL(address).host));
      // The second terminal of the README: the same folder and data directory, `npx` finding the repository's `candor`.
      const env = candorEnv({ CANDOR_DATA_DIR: dataDir });
      env.PATH = [join(repository, 'node_modules', '.bin'), env.PATH].join(delimiter);
      const restoreFiles = keepWrittenFiles(texts);
      const session = await runShellSession(texts, { cwd: repository, env, scriptDir: tempDataDir('candor-walk-'), timeoutMs: 180_000 }).finally(restoreFiles);

      let checked = 0;
      plan.steps.forEach((step, index) => {
        const run = session.runs[index];
        if (!run.finished) {
          const why = session.timedOut ? 'still running after 180 s' : `stopped the walk (bash exit ${session.code ?? session.signal})`;
          throw new Error(failure(step, run, why));
        }
        if (step.output) {
          let printed: unknown;
          try {
            printed = JSON.parse(run.stdout);
          } catch {
            throw new Error(failure(step, run, `printed no JSON, where the README shows the json block at line ${step.output.line}`));
          }
          expect(matchesDocumented(printed, JSON.parse(step.output.text)), failure(step, run, `prints other than line ${step.output.line} shows`)).toBe(true);
          checked += 1;
        } else {
          expect(printedProblem(run.stdout), failure(step, run, 'printed a problem answer')).toBeUndefined();
        }
      });
      expect(session.code).toBe(0);
      const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
      console.info(
        `README walk: npm start in ${startSeconds} s, then ${plan.steps.length} shell blocks (${checked} with their output checked) in ${seconds} s; not run: ${plan.notRun.length} (${plan.notRun.map(blockPlace).join(', ')})`,
      );
    },
    childTimeout,
  );
});
