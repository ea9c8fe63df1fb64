import { describe, expect, it } from 'vitest';
import { endOfDay, isOverdue } from './activityTypes.ts';

describe('task due dates', () => {
  it('read a picked day as due by the last second of that day, local time', () => {
    const due = new Date(endOfDay('2026-03-09'));
    expect([due.getFullYear(), due.getMonth(), due.getDate(), due.getHours(), due.getMinutes()]).toEqual([2026, 2, 9, 23, 59]);
  });

  it('call an open task overdue once its due time passed, and never a done one', () => {
    const now = new Date('2026-03-10T12:00:00Z');
    expect(isOverdue({ dueAt: '2026-03-10T11:00:00Z', completedAt: null }, now)).toBe(true);
    expect(isOverdue({ dueAt: '2026-03-10T13:00:00Z', completedAt: null }, now)).toBe(false);
    expect(isOverdue({ dueAt: '2026-03-10T11:00:00Z', completedAt: '2026-03-10T11:30:00Z' }, now)).toBe(false);
    expect(isOverdue({ dueAt: null, completedAt: null }, now)).toBe(false);
  });
});
