import type { Database } from '../db/connection.ts';
import { type DeadlineNotifier, remindRequestDeadlines } from '../privacy/requests/requestDeadlineReminders.ts';
import type { JobHandler } from '../queue/jobRunner.ts';

export const requestDeadlineQueue = 'request-deadlines';

/**
 * Every hour: remind privacy officers of rights requests due soon and escalate the overdue
 * ones (src/privacy/requests/requestDeadlineReminders.ts), each request once. Without a
 * notifier (a runner started without mail) the run does nothing, leaving the requests to
 * the next run that can tell someone.
 */
export function requestDeadlineHandler(database: Database, notify: DeadlineNotifier | undefined): JobHandler {
  return {
    schedule: '0 * * * *',
    singleton: true,
    batchSize: 1,
    retryLimit: 0,
    async run() {
      if (notify) await remindRequestDeadlines(database, notify);
    },
  };
}
