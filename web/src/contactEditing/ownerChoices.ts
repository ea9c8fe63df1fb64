import type { User } from '../api/types.ts';

/** A choice of owner: a user id, or nobody (the select's keys may not be empty). */
export const nobody = 'nobody';
export type OwnerChoice = { id: string; name: string };

/**
 * The owners a form offers. With the workspace's active users (a role that may list them):
 * nobody, then each of them. Without (Sales may not list users): me, nobody, and the owner
 * the contact has now, kept as it is, when that is someone else.
 */
export function ownerChoices(meId: string | null, users: readonly User[] | null, currentOwnerId: string): OwnerChoice[] {
  const choices: OwnerChoice[] = [{ id: nobody, name: 'Nobody' }];
  if (users) {
    choices.push(...users.map((user) => ({ id: user.id, name: user.id === meId ? `${user.displayName} (me)` : user.displayName })));
  } else if (meId) {
    choices.unshift({ id: meId, name: 'Me' });
  }
  if (currentOwnerId !== '' && !choices.some((choice) => choice.id === currentOwnerId)) {
    choices.push({ id: currentOwnerId, name: users ? 'The current owner (no longer active)' : 'Keep the current owner' });
  }
  return choices;
}

/** An owner as the conflict panel names it. */
export function ownerName(ownerId: string, meId: string | null, users: readonly User[] | null): string {
  if (ownerId === '') return 'Nobody';
  if (ownerId === meId) return 'You';
  return users?.find((user) => user.id === ownerId)?.displayName ?? 'Another member of the team';
}
