/** Whole days from today (the viewer's calendar) to a YYYY-MM-DD due date: 0 on the day, negative once overdue. */
export function daysLeft(dueOn: string, now: Date): number {
  const [year, month, day] = dueOn.split('-').map(Number);
  const due = Date.UTC(year, month - 1, day);
  const today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  return Math.round((due - today) / 86_400_000);
}
