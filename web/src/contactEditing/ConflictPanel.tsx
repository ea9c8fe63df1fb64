import type { ReactNode } from 'react';
import { Button } from 'react-aria-components';
import type { User } from '../api/types.ts';
import { useCompany } from '../contact/useContactRecord.ts';
import { EmptyValue } from '../privacy/PersonalValue.tsx';
import { type ContactFormValues, changedFields, type FormField } from './contactFormValues.ts';
import type { CustomFieldShape } from './customFieldValues.ts';
import { formFieldLabel, formFieldText } from './formFieldPresentation.ts';
import { ownerName } from './ownerChoices.ts';

type ConflictPanelProps = {
  /** The version the user started editing. */
  before: ContactFormValues;
  /** The form as the user tried to save it, and the fields they changed. */
  edited: ContactFormValues;
  edits: readonly FormField[];
  /** The version someone else saved meanwhile. */
  saved: ContactFormValues;
  /** What names the custom fields, the owner and the company. */
  naming: ConflictNaming;
  pending: boolean;
  onRetry(): void;
  onDiscard(): void;
};

export type ConflictNaming = { purpose: string; definitions: readonly CustomFieldShape[]; meId: string | null; users: readonly User[] | null };

/** A company by its name, read for the purpose. */
function CompanyName({ purpose, id }: { purpose: string; id: string }) {
  const company = useCompany(purpose, id);
  return <>{company.data?.data.name ?? 'Another company'}</>;
}

function shown(values: ContactFormValues, field: FormField, naming: ConflictNaming): ReactNode {
  if (field === 'ownerId') return ownerName(values.ownerId, naming.meId, naming.users);
  if (field === 'companyId') return values.companyId === '' ? <EmptyValue /> : <CompanyName purpose={naming.purpose} id={values.companyId} />;
  const text = formFieldText(values, field, naming.definitions);
  return text === '' ? <EmptyValue /> : text;
}

/**
 * The 412 explained: the contact changed since the user opened it. Each field either side
 * changed, with the user's value beside the one saved now; the user saves theirs on top of
 * the new version, or drops their edits and starts from it.
 */
export function ConflictPanel({ before, edited, edits, saved, naming, pending, onRetry, onDiscard }: ConflictPanelProps) {
  const theirs = new Set(changedFields(before, saved));
  const mine = new Set(edits);
  const fields = [...new Set([...mine, ...theirs])];
  return (
    <section className="notice notice-warning conflict" role="alert" aria-labelledby="conflict-heading">
      <h2 id="conflict-heading" className="notice-title">
        Someone else changed this contact while you edited it
      </h2>
      <p>Your edits are not saved yet. The form below now holds the saved version with your edits on top; compare them:</p>
      <div className="conflict-scroller">
        <table className="conflict-table">
          <caption className="visually-hidden">Your edits beside the values saved now</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Your edit</th>
              <th scope="col">Saved now</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((field) => (
              <tr key={field}>
                <th scope="row">{formFieldLabel(field, naming.definitions)}</th>
                <td className={mine.has(field) ? 'conflict-mine' : undefined}>
                  {shown(mine.has(field) ? edited : saved, field, naming)}
                  {!mine.has(field) && <span className="muted"> (not edited)</span>}
                </td>
                <td className={theirs.has(field) ? 'conflict-theirs' : undefined}>
                  {shown(saved, field, naming)}
                  {theirs.has(field) && <span className="muted"> (changed by someone else)</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="form-actions">
        <Button className="button button-primary" onPress={onRetry} isPending={pending}>
          Save my edits on the new version
        </Button>
        <Button className="button" onPress={onDiscard} isDisabled={pending}>
          Discard my edits
        </Button>
      </div>
    </section>
  );
}
