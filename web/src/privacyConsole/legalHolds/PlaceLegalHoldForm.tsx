import { Form } from 'react-aria-components';
import { textOf, useFormSubmit } from '../../ui/useFormSubmit.ts';
import { TextInput } from '../../ui/TextInput.tsx';
import { ProblemNotice } from '../../ui/ProblemNotice.tsx';
import { EditorActions } from '../EditorActions.tsx';
import { usePlaceLegalHold } from './useLegalHolds.ts';

type PlaceLegalHoldFormProps = {
  /** The contact the form was opened for (from its page), or "" to type an id. */
  subjectId: string;
  onDone(): void;
};

/** Places a legal hold (Art. 17(3)): the contact or visitor held and the legal reason, which names a case or an obligation, never the person's data. */
export function PlaceLegalHoldForm({ subjectId, onDone }: PlaceLegalHoldFormProps) {
  const place = usePlaceLegalHold();
  const { pending, error, onSubmit, validationErrors } = useFormSubmit(async (fields) => {
    await place.mutateAsync({ subjectId: textOf(fields, 'subjectId').trim(), reason: textOf(fields, 'reason').trim() });
    onDone();
  });
  return (
    <section className="panel console-form" aria-labelledby="place-hold-heading">
      <h2 id="place-hold-heading">Place a legal hold</h2>
      <Form className="stack" onSubmit={onSubmit} validationErrors={validationErrors}>
        <TextInput
          name="subjectId"
          label="Contact or visitor id"
          description="Open the contact and choose “Place a legal hold”, or paste its id."
          defaultValue={subjectId}
          isRequired
        />
        <TextInput
          name="reason"
          label="Reason"
          description="The legal obligation or claim that requires keeping the data (Art. 17(3)): a case or file reference, not the person's data."
          maxLength={500}
          isRequired
        />
        {error !== null && <ProblemNotice error={error} title="The hold was not placed" />}
        <EditorActions saveLabel="Place the hold" pending={pending} onCancel={onDone} />
      </Form>
    </section>
  );
}
