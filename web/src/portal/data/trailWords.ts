import { humanise } from '../../ui/format.ts';

// How the portal tells the person who accessed their data and what they did, in plain words.

const actorWords: Record<string, string> = {
  user: 'One of our staff',
  api_key: 'One of our systems',
  system: 'Our privacy software, or you through this portal',
};

const objectWords: Record<string, string> = {
  contact: 'your details',
  deal: 'a deal about you',
  activity: 'a note or activity about you',
  purchase: 'a purchase of yours',
  event: 'your activity on our site',
  visitor: 'your visitor profile',
  consent: 'your consent',
  subject: 'everything we hold about you',
};

const verbWords: Record<string, string> = {
  read: 'read',
  listed: 'saw in a list',
  searched: 'found in a search',
  exported: 'exported',
  created: 'added',
  updated: 'changed',
  rectified: 'corrected',
  receipt_read: 'read the receipt of',
  duplicates_listed: 'checked for duplicates',
};

// Whole actions whose object and verb read badly apart.
const actionWords: Record<string, string> = {
  'consent.given': 'recorded that you gave your consent',
  'consent.renewed': 'recorded that you renewed your consent',
  'consent.withdrawn': 'recorded that you withdrew your consent',
  'consent.refused': 'recorded that you refused your consent',
  'consent.opted_out': 'recorded that you opted out',
  'subject.access_read': 'read everything we hold about you',
};

export const actorOf = (actorType: string) => actorWords[actorType] ?? humanise(actorType);

/** "read your details", "saw in a list your details": an audit action ("contact.read") as words. */
export function actionOf(action: string): string {
  if (actionWords[action]) return actionWords[action];
  const [object, verb] = action.split('.', 2);
  const what = objectWords[object];
  const done = verb === undefined ? undefined : verbWords[verb];
  return what && done ? `${done} ${what}` : humanise(action.replaceAll('.', ' '));
}
