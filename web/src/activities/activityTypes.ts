import type { Activity } from '../api/types.ts';

export type ActivityType = Activity['type'];

// What each kind of activity is called on screen: a record, so a kind added to the API fails the type check here.
export const activityTypeLabels: Record<ActivityType, string> = { note: 'Note', call: 'Call', email: 'E-mail', meeting: 'Meeting', task: 'Task' };

/** A due date picked as a day (yyyy-mm-dd) is due by the end of that day, where the user is. */
export function endOfDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year, month - 1, date, 23, 59, 59).toISOString();
}

/** Whether an open task's due time has passed. */
export const isOverdue = (activity: Pick<Activity, 'dueAt' | 'completedAt'>, now: Date): boolean =>
  activity.completedAt === null && activity.dueAt !== null && new Date(activity.dueAt) < now;
