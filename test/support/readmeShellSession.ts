import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * Runs shell blocks one after another in a single bash process, as a reader pastes them
 * into one terminal: variables set by one block are there for the next. Each block is
 * framed by marker lines on stdout and stderr, so that what each block printed, and which
 * block stopped the script, can be told apart afterwards.
 */

export type BlockRun = { started: boolean; finished: boolean; stdout: string; stderr: string };
export type SessionResult = { code: number | null; signal: NodeJS.Signals | null; timedOut: boolean; runs: BlockRun[] };

const marker = (index: number, edge: 'begin' | 'end') => `@@readme-walk ${index} ${edge}@@`;

/** The script: `set -euo pipefail`, then each block between its markers. */
export function sessionScript(blocks: string[]): string {
  const lines = ['set -euo pipefail', `walk_mark() { printf '\\n%s\\n' "$1"; printf '\\n%s\\n' "$1" >&2; }`];
  for (const [index, text] of blocks.entries()) lines.push(`walk_mark '${marker(index, 'begin')}'`, text.trimEnd(), `walk_mark '${marker(index, 'end')}'`);
  return `${lines.join('\n')}\n`;
}

/** What block `index` printed on one stream: from its begin marker to its end marker (or to the end, if it never finished). */
function blockOutput(stream: string, index: number): { started: boolean; finished: boolean; text: string } {
  const begin = `${marker(index, 'begin')}\n`;
  const from = stream.indexOf(begin);
  if (from < 0) return { started: false, finished: false, text: '' };
  const to = stream.indexOf(`\n${marker(index, 'end')}`, from + begin.length);
  return { started: true, finished: to >= 0, text: stream.slice(from + begin.length, to >= 0 ? to : undefined) };
}

export function splitSessionOutput(stdout: string, stderr: string, count: number): BlockRun[] {
  return Array.from({ length: count }, (_, index) => {
    const out = blockOutput(stdout, index);
    return { started: out.started, finished: out.finished, stdout: out.text, stderr: blockOutput(stderr, index).text };
  });
}

export type SessionOptions = { cwd: string; env: NodeJS.ProcessEnv; scriptDir: string; timeoutMs: number };

/** Runs the blocks in one `bash` process; on timeout the process group (bash and what it started) is killed. */
export function runShellSession(blocks: string[], options: SessionOptions): Promise<SessionResult> {
  const script = join(options.scriptDir, 'readme-walk.sh');
  writeFileSync(script, sessionScript(blocks));
  const child = spawn('bash', [script], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  }, options.timeoutMs);
  // 'close', not 'exit': every block's output has arrived once bash's pipes are closed.
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, runs: splitSessionOutput(stdout, stderr, blocks.length) });
    });
  });
}
