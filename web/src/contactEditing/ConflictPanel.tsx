import { Button } from 'react-aria-components';
import { contactFieldLabel } from '../contacts/contactFieldLabels.ts';
import { stageLabels } from '../contacts/contactFilters.ts';
import { EmptyValue } from '../privacy/PersonalValue.tsx';
import { type ContactFormValues, changedFields, type FormField } from './contactFormValues.ts';

type ConflictPanelProps = {
  /** The version the user started editing. */
  before: ContactFormValues;
  /** The form as the user tried to save it, and the fields they changed. */
  edited: ContactFormValues;
  edits: readonly FormField[];
  /** The version someone else saved meanwhile. */
  saved: ContactFormValues;
  pending: boolean;
  onRetry(): void;
  onDiscard(): void;
};

const shown = (values: ContactFormValues, field: FormField) =>
  field === 'lifecycleStage' ? stageLabels[values.lifecycleStage] : values[field].trim() === '' ? <EmptyValue /> : values[field];

/**
 * The 412 explained: the contact changed since the user opened it. Each field either side
 * changed, with the user's value beside the one saved now; the user saves theirs on top of
 * the new version, or drops their edits and starts from it.
 */
export function ConflictPanel({ before, edited, edits, saved, pending, onRetry, onDiscard }: ConflictPanelProps) {
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
                <th scope="row">{field === 'lifecycleStage' ? 'Stage' : contactFieldLabel(field)}</th>
                <td className={mine.has(field) ? 'conflict-mine' : undefined}>
                  {shown(mine.has(field) ? edited : saved, field)}
                  {!mine.has(field) && <span className="muted"> (not edited)</span>}
                </td>
                <td className={theirs.has(field) ? 'conflict-theirs' : undefined}>
                  {shown(saved, field)}
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
