import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressBar, formatDuration, type ProgressBarOptions } from './progressBar.ts';

class CollectingStream extends Writable {
  readonly chunks: string[] = [];
  isTTY: boolean;
  columns: number | undefined;

  constructor(isTTY: boolean, columns?: number) {
    super({ decodeStrings: false });
    this.isTTY = isTTY;
    this.columns = columns;
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(chunk.toString());
    callback();
  }

  get text(): string {
    return this.chunks.join('');
  }
}

function setup(isTTY: boolean, options: Partial<ProgressBarOptions> & { columns?: number } = {}) {
  const stream = new CollectingStream(isTTY, options.columns);
  const clock = { ms: 0 };
  const bar = createProgressBar({
    label: 'Importing',
    total: 10_000,
    ...options,
    stream,
    now: () => clock.ms,
  });
  return { stream, clock, bar };
}

describe('createProgressBar on a terminal', () => {
  it('draws label, bar, percentage, counts, rate and ETA on one carriage-return line', () => {
    const { stream, clock, bar } = setup(true);
    clock.ms = 5_000;
    bar.update(4_500);
    expect(stream.chunks).toEqual(['\rImporting [#########...........] 45% 4,500/10,000 900/s ETA 6s']);
  });

  it('redraws at most every 100 ms however often it is ticked', () => {
    const { stream, clock, bar } = setup(true);
    for (let i = 0; i < 1_000; i++) {
      clock.ms = i; // one tick per millisecond for a second
      bar.tick();
    }
    expect(stream.chunks.length).toBe(10);
    expect(stream.chunks.every((chunk) => chunk.startsWith('\r') && !chunk.includes('\n'))).toBe(true);
  });

  it('pads a shorter line with spaces so no characters of the previous one remain', () => {
    const { stream, clock, bar } = setup(true, { total: null });
    clock.ms = 1_000;
    bar.update(123_456);
    clock.ms = 100_000;
    bar.update(123_457);
    const [first, second] = stream.chunks;
    expect(second.length).toBeGreaterThanOrEqual(first.length);
    expect(second.trimEnd()).toBe('\rImporting 123,457 1,235/s');
  });

  it('cuts lines to the terminal width so they never wrap', () => {
    const { stream, clock, bar } = setup(true, { columns: 20 });
    clock.ms = 1_000;
    bar.tick(10);
    expect(stream.chunks[0]).toBe('\rImporting [........');
  });

  it('ends with a summary line and newline on finish, then ignores further calls', () => {
    const { stream, clock, bar } = setup(true);
    clock.ms = 8_000;
    bar.update(10_000);
    clock.ms = 8_050;
    bar.finish();
    bar.tick();
    bar.finish();
    bar.fail();
    expect(stream.chunks.at(-2)?.trimEnd()).toBe('\rImporting [####################] 100% 10,000/10,000 1,242/s done in 8s');
    expect(stream.chunks.at(-1)).toBe('\n');
    expect(stream.text.match(/\n/g)).toHaveLength(1);
  });

  it('reports failure with the elapsed time when fail is called', () => {
    const { stream, clock, bar } = setup(true);
    clock.ms = 3_000;
    bar.update(1_500);
    bar.fail();
    expect(stream.text).toMatch(/15% 1,500\/10,000 500\/s failed after 3s\s*\n$/);
  });
});

describe('createProgressBar on a pipe or CI log', () => {
  it('prints plain lines without carriage returns, at most one per 10%', () => {
    const { stream, clock, bar } = setup(false);
    for (let i = 0; i < 10_000; i++) {
      clock.ms = i;
      bar.tick();
    }
    bar.finish();
    const lines = stream.text.split('\n').filter((line) => line.length > 0);
    expect(stream.text).not.toContain('\r');
    expect(lines).toHaveLength(10);
    expect(lines[0]).toMatch(/^Importing \[##\.{18}\] 10% 1,000\/10,000 1,001\/s ETA 9s$/);
    expect(lines.at(-1)).toMatch(/100% 10,000\/10,000 .* done in 10s$/);
  });

  it('prints a single line when progress jumps across several 10% steps', () => {
    const { stream, clock, bar } = setup(false);
    clock.ms = 1_000;
    bar.update(5_500);
    bar.update(5_900);
    expect(stream.chunks).toEqual(['Importing [###########.........] 55% 5,500/10,000 5,500/s ETA 1s\n']);
  });

  it('shows only count and rate, every ten seconds, when the total is unknown', () => {
    const { stream, clock, bar } = setup(false, { total: null });
    for (let second = 1; second <= 30; second++) {
      clock.ms = second * 1_000;
      bar.tick(2_000);
    }
    bar.finish();
    expect(stream.text.split('\n').filter(Boolean)).toEqual([
      'Importing 2,000 2,000/s',
      'Importing 22,000 2,000/s',
      'Importing 42,000 2,000/s',
      'Importing 60,000 2,000/s done in 30s',
    ]);
  });

  it('treats an empty job as complete rather than dividing by zero', () => {
    const { stream, bar } = setup(false, { total: 0 });
    bar.finish();
    expect(stream.text).toBe('Importing [####################] 100% 0/0 0/s done in 0s\n');
  });
});

describe('createProgressBar input checks', () => {
  it('rejects negative or non-finite amounts and totals', () => {
    const { bar } = setup(true);
    expect(() => bar.tick(-1)).toThrow(RangeError);
    expect(() => bar.update(Number.NaN)).toThrow(RangeError);
    expect(() => setup(true, { total: -5 })).toThrow(RangeError);
  });

  it('defaults to process.stderr when no stream is given', () => {
    expect(() => createProgressBar({ label: 'x', total: 1 })).not.toThrow();
  });
});

describe('formatDuration', () => {
  it('keeps durations compact at every scale', () => {
    expect(formatDuration(4_400)).toBe('4s');
    expect(formatDuration(125_000)).toBe('2m05s');
    expect(formatDuration(4_020_000)).toBe('1h07m');
  });
});
