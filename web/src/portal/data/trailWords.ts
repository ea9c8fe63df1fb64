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

// What was done, around what it was done to ({what}).
const verbWords: Record<string, string> = {
  read: 'read {what}',
  listed: 'saw {what} in a list',
  searched: 'found {what} in a search',
  exported: 'exported {what}',
  created: 'added {what}',
  updated: 'changed {what}',
  rectified: 'corrected {what}',
  receipt_read: 'read the receipt of {what}',
  duplicates_listed: 'checked {what} for duplicates',
};

// Whole actions whose object and verb read badly apart.
const actionWords: Record<string, string> = {
  'consent.given': 'recorded that you gave your consent',
  'consent.renewed': 'recorded that you renewed your consent',
  'consent.withdrawn': 'recorded that you withdrew your consent',
  'consent.refused': 'recorded that you refused your consent',
  'consent.opted_out': 'recorded that you opted out',
  'subject.access_read': 'read everything we hold about you',
  'access_export.requested': 'prepared a copy of your data',
  'access_export.link_created': 'made a download link for a copy of your data',
  'portal.matched': 'found your record when you signed in here',
};

/** A field's name as words: firstName and first_name → "First name". */
export const fieldWords = (field: string) => humanise(field.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase());

export const actorOf = (actorType: string) => actorWords[actorType] ?? humanise(actorType);

/** "read your details", "saw a deal about you in a list": an audit action ("contact.read") as words. */
export function actionOf(action: string): string {
  if (actionWords[action]) return actionWords[action];
  const [object, verb] = action.split('.', 2);
  const what = objectWords[object];
  const done = verb === undefined ? undefined : verbWords[verb];
  return what && done ? done.replace('{what}', what) : humanise(action.replaceAll('.', ' '));
}
