import type { AuditEntry } from '../../api/types.ts';

/** Who acted, in words: a user by name when the workspace knows them, else the kind of actor. */
export function actorName(actor: AuditEntry['actor'], userNames: ReadonlyMap<string, string> | undefined): string {
  if (actor.type === 'user') return userNames?.get(actor.id) ?? 'A former user';
  if (actor.type === 'api_key') return 'An API key';
  return 'Candor';
}
