import { afterAll, describe, expect, it } from 'vitest';
import { candorEnv, removeTempDataDirs, runCandor, tempDataDir } from './support/candorProcess.ts';

/*
 * `candor retention` as a person runs it, on an embedded data directory: the dry run lists and
 * changes nothing, the sweep shows its progress and says what it did, and a refusal is one
 * line on stderr with a non-zero exit.
 */

afterAll(() => removeTempDataDirs());

describe('candor retention', () => {
  it('dry-runs, sweeps with a progress bar, and refuses bad input in one line', async () => {
    const env = candorEnv({ CANDOR_DATA_DIR: tempDataDir() });
    expect((await runCandor(['seed', '--demo', '--contacts', '30', '--workspace', 'kept'], env)).code).toBe(0);

    const today = await runCandor(['retention', '--dry-run', '--workspace', 'kept'], env);
    expect(today.code).toBe(0);
    expect(today.stdout).toContain('kept: as of ');
    expect(today.stdout).toContain('would erase 0 and anonymise 0 subject(s); 0 kept under a legal hold');
    expect(today.stdout).toContain('would expire 0 event(s)');

    const later = await runCandor(['retention', '--dry-run', '--workspace', 'kept', '--as-of', '2031-01-01'], env);
    const listed = later.stdout.split('\n').filter((line) => /^ {2}erase (contact|visitor) [0-9a-f-]{36}$/.test(line));
    expect(listed.length).toBeGreaterThan(0);

    const swept = await runCandor(['retention', '--workspace', 'kept', '--as-of', '2031-01-01'], env);
    expect(swept.code).toBe(0);
    expect(swept.stdout).toContain(`did erase ${listed.length} and anonymise 0 subject(s)`);
    expect(swept.stdout).toMatch(/proof\(s\) of deletion \(run [0-9a-f-]{36};/);
    expect(swept.stderr).toMatch(new RegExp(`retention kept\\s+\\[#{20}\\] 100% ${listed.length}/${listed.length}`));

    for (const args of [
      ['retention', '--as-of', 'next tuesday'],
      ['retention', '--workspace', 'nowhere'],
    ]) {
      const refused = await runCandor(args, env);
      expect(refused.code, args.join(' ')).not.toBe(0);
      expect(refused.stdout, args.join(' ')).toBe('');
      expect(refused.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(refused.stderr, args.join(' ')).toMatch(/^candor: /);
    }
  }, 240_000);
});
