import type { Writable } from 'node:stream';
import type { CandorConfig } from '../config.ts';
import type { Database } from '../db/connection.ts';
import type { Mailer } from '../mail/mailer.ts';

/** What route plugins are given: no globals, so tests build apps with their own. */
export type AppDependencies = {
  database: Database;
  config: CandorConfig;
  mailer: Mailer;
  /** Where logs go (stdout by default); tests capture them to scan for personal data. */
  logStream?: Writable;
  /** The time login back-offs are measured by (the real clock by default); tests move it forward instead of sleeping. */
  clock?: () => Date;
};
