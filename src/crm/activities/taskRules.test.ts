import { describe, expect, it } from 'vitest';
import { assertTaskFieldsFit } from './taskRules.ts';

describe('fields that only tasks have', () => {
  it('lets a task carry a due date, an assignee and a completion time', () => {
    expect(() => assertTaskFieldsFit('task', { dueAt: new Date(), assigneeId: 'u', completedAt: new Date() })).not.toThrow();
  });

  it('refuses them on other activities, naming the field, but accepts nulls', () => {
    expect(() => assertTaskFieldsFit('call', { assigneeId: 'u' })).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ field: 'assigneeId' })] }),
    );
    expect(() => assertTaskFieldsFit('note', { dueAt: null, assigneeId: null })).not.toThrow();
  });
});
