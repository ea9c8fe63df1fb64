import type { Withheld } from '../api/types.ts';
import { WithheldSummary } from '../privacy/WithheldSummary.tsx';
import { withheldByField } from '../privacy/withheldReasons.ts';
import { editableFields } from './contactFormValues.ts';
import { type CustomFieldShape, customKeyOf } from './customFieldValues.ts';
import { formFieldLabel } from './formFieldPresentation.ts';

const standard = new Set<string>(editableFields);

/** The form's fields the purpose may not write here, each with the API's reason, said once above the inputs. */
export function NotOfferedNote({ withheld, purpose, definitions }: { withheld: Withheld; purpose: string; definitions: readonly CustomFieldShape[] }) {
  const reasons = withheldByField(
    withheld.filter((entry) => standard.has(entry.field) || customKeyOf(entry.field) !== null || entry.field === 'customFields'),
    purpose,
  );
  return <WithheldSummary withheld={reasons} label={(field) => (field === 'customFields' ? 'Custom fields' : formFieldLabel(field, definitions))} />;
}
