import { humanise } from '../../ui/format.ts';

// How the portal names a request's kind and state to the person who asked: plain words.

export const requestKindWords: Record<string, string> = {
  access: 'A copy of your data',
  portability: 'Your data to take elsewhere',
  rectification: 'Correction',
  erasure: 'Erasure',
  restriction: 'Restriction of use',
  objection: 'Objection',
  opt_out_sale_sharing: 'No sale or sharing of your data',
  limit_sensitive: 'Limited use of sensitive data',
};

export const requestStateWords: Record<string, string> = {
  received: 'Received',
  awaiting_verification: 'Waiting for you to confirm your address',
  verified: 'Received, to be handled',
  in_progress: 'Being handled',
  extended: 'Taking longer (we told you why)',
  completed: 'Done',
  denied: 'Refused',
};

/** The words for a key, or the key made readable when the portal does not know it yet. */
export function wordsFor(words: Record<string, string>, key: string): string {
  return words[key] ?? humanise(key);
}
