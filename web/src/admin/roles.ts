import type { User } from '../api/types.ts';

export type Role = User['role'];

/** The roles as people read them, in the order an admin picks from. */
export const roleLabels: Record<Role, string> = {
  sales: 'Sales',
  support: 'Support',
  marketing: 'Marketing',
  analyst: 'Analyst',
  privacy_officer: 'Privacy officer',
  admin: 'Admin',
};
