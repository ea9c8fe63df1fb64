import type { Database } from '../db/connection.ts';
import { runRetentionSweep, workspaceIds } from '../privacy/retention/retentionSweep.ts';
import type { JobHandler } from '../queue/jobRunner.ts';

/*
 * The nightly retention sweep (issue 13 item 11): at 02:30 UTC, once across processes
 * (pg-boss queues one job per tick on a singleton queue), every workspace in turn. A
 * workspace whose sweep fails does not stop the others; the job then fails by name, with
 * no message (it could quote a value), and the next night tries again.
 */

export const retentionSweepQueue = 'retention-sweep';
export const retentionSweepSchedule = '30 2 * * *';

export function retentionSweepHandler(database: Database, clock: () => Date = () => new Date()): JobHandler {
  return {
    schedule: retentionSweepSchedule,
    singleton: true,
    batchSize: 1,
    retryLimit: 0,
    // A large workspace's first sweep may take a while; the next night is the retry.
    expireInSeconds: 4 * 60 * 60,
    async run() {
      const asOf = clock();
      const failed: string[] = [];
      for (const workspaceId of await workspaceIds(database.db)) {
        try {
          await runRetentionSweep(database, workspaceId, { asOf });
        } catch (error) {
          failed.push(error instanceof Error ? error.name : 'Error');
        }
      }
      if (failed.length > 0) throw new Error(`The retention sweep failed in ${failed.length} workspace(s): ${[...new Set(failed)].join(', ')}`);
    },
  };
}
