import type { Withheld } from '../api/types.ts';
import { purposeLabel } from '../purpose/purposeLabels.ts';

/*
 * Why a value is not shown, in plain words. The API leaves a withheld field out and names it
 * with a reason code and a message; the app never shows such a field as empty. The screens
 * say it shorter than the API's message, naming the purpose by its label; a code this app
 * does not know yet is shown with the API's own message.
 */
export function withheldReasonText(reason: string, purpose: string, message?: string): string {
  const forPurpose = purposeLabel(purpose);
  switch (reason) {
    case 'field_not_declared_for_purpose':
      return `not declared for ${forPurpose}`;
    case 'role_not_granted':
      return `your role is not granted ${forPurpose}`;
    case 'erased':
      return 'erased';
    case 'restricted':
      return 'restricted by the person';
    case 'objected':
      return 'the person objected';
    case 'no_live_consent':
      return `no consent for ${forPurpose}`;
    case 'unrecoverable':
      return 'its key was destroyed';
    default:
      return message ?? `withheld (${reason.replaceAll('_', ' ')})`;
  }
}

/** The reasons per withheld field, in words ("erased and restricted by the person"). */
export function withheldByField(withheld: Withheld, purpose: string): Map<string, string> {
  const reasons = new Map<string, string[]>();
  for (const entry of withheld) reasons.set(entry.field, [...(reasons.get(entry.field) ?? []), withheldReasonText(entry.reason, purpose, entry.message)]);
  return new Map([...reasons].map(([field, texts]) => [field, [...new Set(texts)].join(' and ')]));
}
