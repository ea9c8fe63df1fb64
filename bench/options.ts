/*
 * `npm run bench -- [--size N] [--events N] [--database pglite|postgres] [--rounds N] [--only a,b] [--contacts N] [--data-dir DIR]`
 *  --size      contacts in the measured workspace (default 2,000: a couple of minutes). Above
 *              2,000 a 2,000-contact workspace is measured beside it, for the growth figures.
 *  --events    events seeded with them (default 0), e.g. --size 1000000 --events 10000000.
 *  --database  pglite (default; in-process, on disk) or postgres (DATABASE_URL, or the local
 *              server at postgres://postgres@127.0.0.1:5432/postgres). DATABASE_URL alone
 *              selects postgres, as before.
 *  --rounds    rounds behind every median of ratios (default 5, at least 5).
 *  --only      a comma-separated subset of the figures (default: all but `web`).
 *  --contacts  `web` only: contacts in its demo workspace (default 100,000; fewer for a quick run).
 *  --data-dir  `web` only: seed into this data directory, or complete and reuse the one there,
 *              and keep it (default: a temporary directory, removed afterwards).
 *
 * `web` (bench/web/) drives the web app in Chromium against `candor serve` on a demo workspace:
 * minutes of seeding and a browser, so it runs only when named in --only.
 */

export const figureNames = ['email', 'list', 'prefix', 'read', 'create', 'batch', 'events', 'audit', 'consent', 'portal', 'erasure', 'access', 'web'] as const;
export type FigureName = (typeof figureNames)[number];
export type BenchOptions = {
  size: number;
  events: number;
  database: 'pglite' | 'postgres';
  databaseUrl: string | undefined;
  rounds: number;
  only: ReadonlySet<FigureName>;
  /** Contacts of the `web` bench's demo workspace. */
  webContacts: number;
  /** The `web` bench's data directory when kept; undefined for a temporary one. */
  webDataDir: string | undefined;
};

/** What `candor seed --demo --contacts 100000` makes: the size the web figures are asked for at. */
export const webReferenceContacts = 100_000;

export const referenceSize = 2_000;
const localPostgres = 'postgres://postgres@127.0.0.1:5432/postgres';

function wholeNumber(flag: string, text: string | undefined, minimum: number): number {
  const value = Number(text);
  if (text === undefined || !Number.isSafeInteger(value) || value < minimum)
    throw new Error(`${flag} needs a whole number of at least ${minimum}, got ${text}`);
  return value;
}

export function parseBenchOptions(args: readonly string[], env: Readonly<Record<string, string | undefined>>): BenchOptions {
  const options: BenchOptions = {
    size: referenceSize,
    events: 0,
    database: env.DATABASE_URL ? 'postgres' : 'pglite',
    databaseUrl: env.DATABASE_URL || undefined,
    rounds: 5,
    only: new Set(figureNames.filter((name) => name !== 'web')),
    webContacts: webReferenceContacts,
    webDataDir: undefined,
  };
  for (let at = 0; at < args.length; at += 1) {
    const flag = args[at];
    const value = args[at + 1];
    at += 1;
    if (flag === '--size') options.size = wholeNumber(flag, value, 1_100);
    else if (flag === '--events') options.events = wholeNumber(flag, value, 0);
    else if (flag === '--rounds') options.rounds = wholeNumber(flag, value, 5);
    else if (flag === '--database') {
      if (value !== 'pglite' && value !== 'postgres') throw new Error(`--database is pglite or postgres, got ${value}`);
      options.database = value;
    } else if (flag === '--only') {
      const names = (value ?? '').split(',');
      const unknown = names.filter((name) => !(figureNames as readonly string[]).includes(name));
      if (unknown.length > 0) throw new Error(`--only knows ${figureNames.join(', ')}; not ${unknown.join(', ')}`);
      options.only = new Set(names as FigureName[]);
    } else if (flag === '--contacts') options.webContacts = wholeNumber(flag, value, 1);
    else if (flag === '--data-dir') {
      if (!value) throw new Error('--data-dir needs a directory');
      options.webDataDir = value;
    } else throw new Error(`unknown option ${flag}`);
  }
  if (options.only.has('web') && options.database === 'postgres')
    throw new Error('web measures `candor serve` on its embedded database: leave out --database postgres');
  if (options.database === 'postgres') options.databaseUrl ??= localPostgres;
  else options.databaseUrl = undefined;
  return options;
}

/** The workspace sizes measured: the reference size alone, or the reference and the size asked for. */
export const sizesOf = (options: BenchOptions) => (options.size === referenceSize ? [referenceSize] : [referenceSize, options.size].sort((a, b) => a - b));

/** bench/results[.postgres][.<size>].json: the default size keeps the historical names. */
export const resultsFileOf = (options: BenchOptions) =>
  `results${options.database === 'postgres' ? '.postgres' : ''}${options.size === referenceSize ? '' : `.${options.size}`}.json`;
