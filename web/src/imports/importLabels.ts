import { humanise } from '../ui/format.ts';
import type { ImportSummary } from './importApi.ts';

// How an import's state and sender read on screen.

export const statusLabels: Record<ImportSummary['status'], string> = {
  queued: 'Waiting to start',
  running: 'Reading rows',
  staged: 'Publishing',
  published: 'Published',
  failed: 'Failed: nothing imported',
  undone: 'Undone',
};

/** Who sent the file, without naming anyone the list does not name: the user themself, or the kind of sender. */
export function senderLabel(createdBy: ImportSummary['createdBy'], userId: string | undefined): string {
  if (createdBy.type === 'user') return createdBy.id === userId ? 'You' : 'Another user';
  if (createdBy.type === 'api_key') return 'An API key';
  // A system actor is the CLI on the server's machine.
  return createdBy.type === 'system' ? 'The command line' : humanise(createdBy.type);
}

export const objectLabels: Record<ImportSummary['object'], string> = { contact: 'Contacts', company: 'Companies' };
