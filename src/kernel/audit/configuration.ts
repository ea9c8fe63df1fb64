import type { AuditKeys } from './keys.ts';

export type AuditConfiguration = {
  /** Where pseudonym and signing keys come from; null until the key store is wired in. */
  keys: AuditKeys | null;
  /** A signed checkpoint is written at every multiple of this sequence number. */
  checkpointEvery: number;
};

// Process-wide because appendAudit(tx, ctx, record) is called from everywhere without a
// dependency bag; the server (or a test) sets it once at start-up. Calls may still pass
// their own keys, which win.
const defaults: AuditConfiguration = { keys: null, checkpointEvery: 1000 };
let current: AuditConfiguration = defaults;

/** Back to the settings of a process that has not started (see stopKernel). */
export function resetAuditConfiguration(): void {
  current = defaults;
}

export function configureAudit(changes: Partial<AuditConfiguration>): AuditConfiguration {
  const next = { ...current, ...changes };
  if (!(Number.isInteger(next.checkpointEvery) && next.checkpointEvery > 0)) {
    throw new TypeError('checkpointEvery must be a positive whole number');
  }
  current = next;
  return current;
}

export function auditConfiguration(): AuditConfiguration {
  return current;
}
