import { invalid } from '../../shared/domainError.ts';

export const activityTypes = ['note', 'call', 'email', 'meeting', 'task'] as const;
export type ActivityType = (typeof activityTypes)[number];

export type TaskFields = { dueAt?: Date | null; assigneeId?: string | null; completedAt?: Date | null };

/** Due date, assignee and completion belong to tasks only; naming the first field set on another type. */
export function assertTaskFieldsFit(type: ActivityType, fields: TaskFields): void {
  if (type === 'task') return;
  for (const field of ['dueAt', 'assigneeId', 'completedAt'] as const) {
    if (fields[field] !== undefined && fields[field] !== null) throw invalid(field, `only tasks have ${field}; this activity is a ${type}`);
  }
}
