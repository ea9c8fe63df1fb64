import { describe, expect, it } from 'vitest';
import { parseBenchOptions, resultsFileOf, sizesOf } from './options.ts';

describe('bench options', () => {
  it('runs the 2,000-contact size on PGlite by default, writing results.json', () => {
    const options = parseBenchOptions([], {});
    expect(options).toMatchObject({ size: 2000, events: 0, database: 'pglite', databaseUrl: undefined, rounds: 5 });
    expect(sizesOf(options)).toEqual([2000]);
    expect(resultsFileOf(options)).toBe('results.json');
  });

  it('measures a larger size beside the 2,000 reference, on the local PostgreSQL when asked', () => {
    const options = parseBenchOptions(['--size', '100000', '--database', 'postgres'], {});
    expect(sizesOf(options)).toEqual([2000, 100000]);
    expect(options.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/postgres');
    expect(resultsFileOf(options)).toBe('results.postgres.100000.json');
  });

  it('takes DATABASE_URL as the choice of PostgreSQL, as before', () => {
    expect(parseBenchOptions([], { DATABASE_URL: 'postgres://x/y' })).toMatchObject({ database: 'postgres', databaseUrl: 'postgres://x/y' });
  });

  it('refuses fewer than 5 rounds, unknown figures and unknown options', () => {
    expect(() => parseBenchOptions(['--rounds', '3'], {})).toThrow(/at least 5/);
    expect(() => parseBenchOptions(['--only', 'list,nope'], {})).toThrow(/not nope/);
    expect(() => parseBenchOptions(['--fast'], {})).toThrow(/unknown option/);
  });

  it('measures the web app only when --only names it, at 100,000 demo contacts unless told fewer', () => {
    expect(parseBenchOptions([], {}).only.has('web')).toBe(false);
    const options = parseBenchOptions(['--only', 'web', '--contacts', '3000', '--data-dir', '/tmp/seeded'], {});
    expect(options).toMatchObject({ webContacts: 3000, webDataDir: '/tmp/seeded' });
    expect([...options.only]).toEqual(['web']);
    expect(parseBenchOptions(['--only', 'web'], {}).webContacts).toBe(100_000);
    expect(resultsFileOf(options)).toBe('results.json');
  });

  it('refuses the web figures on PostgreSQL: they measure candor serve on its embedded database', () => {
    expect(() => parseBenchOptions(['--only', 'web', '--database', 'postgres'], {})).toThrow(/embedded database/);
  });
});
