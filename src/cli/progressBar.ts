// A terminal progress bar for long CLI jobs (imports, demo seeding). Interactive terminals get
// a single line redrawn in place; pipes and CI logs get a handful of plain lines instead,
// because carriage-return redraws turn into thousands of log lines there.

/** The part of a writable stream the bar needs; process.stderr and any stream.Writable fit. */
export type ProgressStream = {
  write(chunk: string): unknown;
  isTTY?: boolean;
  /** Terminal width; lines are cut to fit so a wrapped line cannot break the redraw. */
  columns?: number;
};

export type ProgressBarOptions = {
  label: string;
  /** Number of units of work, or null when unknown (then only count and rate are shown). */
  total: number | null;
  stream?: ProgressStream;
  /** Milliseconds clock; injectable so tests control throttling and rates. */
  now?: () => number;
};

export type ProgressBar = {
  /** Records `n` more units done. */
  tick(n?: number): void;
  /** Sets the absolute number of units done. */
  update(done: number): void;
  /** Draws the final state and ends the line; later calls are ignored. */
  finish(): void;
  /** Like finish, but reports failure. */
  fail(): void;
};

const TTY_REDRAW_MS = 100;
/** Without a known total there are no 10% steps, so log on a timer instead. */
const PLAIN_UNKNOWN_TOTAL_MS = 10_000;
const BAR_WIDTH = 20;

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const smallRateFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export function createProgressBar(options: ProgressBarOptions): ProgressBar {
  const { label, total } = options;
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  if (total !== null && !(Number.isFinite(total) && total >= 0)) {
    throw new RangeError(`total must be a non-negative number or null, got ${total}`);
  }

  const interactive = stream.isTTY === true;
  const startedAt = now();
  let done = 0;
  let ended = false;
  let lastDrawAt = -Infinity;
  let lastDrawnLength = 0;
  let lastDecile = 0;

  const snapshot = (): Snapshot => ({ label, total, done, elapsedMs: Math.max(0, now() - startedAt) });

  const drawInPlace = (line: string): void => {
    const fitted = fitToWidth(line, stream.columns);
    // Pad with spaces rather than an ANSI erase so dumb terminals render correctly too.
    const padding = ' '.repeat(Math.max(0, lastDrawnLength - fitted.length));
    stream.write(`\r${fitted}${padding}`);
    lastDrawnLength = fitted.length;
  };

  const maybeDraw = (): void => {
    const at = now();
    if (interactive) {
      if (at - lastDrawAt < TTY_REDRAW_MS) return;
      lastDrawAt = at;
      drawInPlace(formatProgress(snapshot()));
      return;
    }
    if (total === null) {
      if (at - lastDrawAt < PLAIN_UNKNOWN_TOTAL_MS) return;
      lastDrawAt = at;
      stream.write(`${formatProgress(snapshot())}\n`);
      return;
    }
    // 100% is left to finish(), which prints the summary line, so it is not logged twice.
    const decile = Math.min(9, Math.floor(fraction(done, total) * 10));
    if (decile <= lastDecile) return;
    lastDecile = decile;
    stream.write(`${formatProgress(snapshot())}\n`);
  };

  const end = (outcome: Outcome): void => {
    if (ended) return;
    ended = true;
    const line = formatEnd(snapshot(), outcome);
    if (interactive) {
      drawInPlace(line);
      stream.write('\n');
    } else {
      stream.write(`${line}\n`);
    }
  };

  return {
    tick(n = 1) {
      if (ended) return;
      assertAmount('tick', n);
      done += n;
      maybeDraw();
    },
    update(value) {
      if (ended) return;
      assertAmount('update', value);
      done = value;
      maybeDraw();
    },
    finish: () => end('done'),
    fail: () => end('failed'),
  };
}

type Snapshot = { label: string; total: number | null; done: number; elapsedMs: number };
type Outcome = 'done' | 'failed';

/** `label [#####.....] 45% 4,500/10,000 1,234/s ETA 4s`, or `label 4,500 1,234/s` without a total. */
export function formatProgress(state: Snapshot): string {
  const rate = ratePerSecond(state);
  const rateText = `${formatRate(rate)}/s`;
  if (state.total === null) return `${state.label} ${integerFormat.format(state.done)} ${rateText}`;
  const remaining = Math.max(0, state.total - state.done);
  const eta = rate > 0 ? formatDuration((remaining / rate) * 1000) : '--';
  return `${withTotal(state, state.total)} ${rateText} ETA ${eta}`;
}

function formatEnd(state: Snapshot, outcome: Outcome): string {
  const rateText = `${formatRate(ratePerSecond(state))}/s`;
  const head = state.total === null ? `${state.label} ${integerFormat.format(state.done)}` : withTotal(state, state.total);
  const took = formatDuration(state.elapsedMs);
  const tail = outcome === 'done' ? `done in ${took}` : `failed after ${took}`;
  return `${head} ${rateText} ${tail}`;
}

function withTotal(state: Snapshot, total: number): string {
  const share = fraction(state.done, total);
  const filled = Math.floor(share * BAR_WIDTH);
  const bar = '#'.repeat(filled) + '.'.repeat(BAR_WIDTH - filled);
  const percent = Math.floor(share * 100);
  return `${state.label} [${bar}] ${percent}% ${integerFormat.format(state.done)}/${integerFormat.format(total)}`;
}

/** Share of work done, clamped so overshooting totals never draw past the bar. */
function fraction(done: number, total: number): number {
  if (total === 0) return 1;
  return Math.min(1, Math.max(0, done / total));
}

function ratePerSecond(state: Snapshot): number {
  return state.elapsedMs > 0 ? (state.done / state.elapsedMs) * 1000 : 0;
}

function formatRate(rate: number): string {
  return rate < 10 ? smallRateFormat.format(rate) : integerFormat.format(rate);
}

/** Compact durations: `4s`, `2m05s`, `1h07m`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

function fitToWidth(line: string, columns: number | undefined): string {
  // One column short: writing into the last column makes some terminals wrap early.
  if (columns === undefined || columns < 2 || line.length < columns) return line;
  return line.slice(0, columns - 1);
}

function assertAmount(method: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${method} expects a non-negative number, got ${value}`);
  }
}
