import { Button, Dialog, Form, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { problemIn } from '../api/problem.ts';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { TextInput } from '../ui/TextInput.tsx';
import { textOf, useFormSubmit } from '../ui/useFormSubmit.ts';
import '../styles/dialog.css';

type ViewNameDialogProps = {
  isOpen: boolean;
  onOpenChange(isOpen: boolean): void;
  title: string;
  /** What the name field holds when the dialog opens (the view's name when renaming). */
  initialName: string;
  submitLabel: string;
  /** Saves under the name; the dialog closes when it succeeded and shows the API's reasons when it did not. */
  onSubmit(name: string): Promise<void>;
};

/**
 * A view's name asked in a modal form: a refused name (409 taken, 422 empty or too long)
 * shows its reason next to the field; any other refusal (a filter or column the list does
 * not accept) below it.
 */
export function ViewNameDialog(props: ViewNameDialogProps) {
  return (
    <ModalOverlay className="modal-overlay" isOpen={props.isOpen} onOpenChange={props.onOpenChange}>
      <Modal className="modal">
        {/* Inside the modal, so each opening starts afresh: no reason left from the last try. */}
        <ViewNameForm {...props} />
      </Modal>
    </ModalOverlay>
  );
}

function ViewNameForm({ onOpenChange, title, initialName, submitLabel, onSubmit }: ViewNameDialogProps) {
  const submit = useFormSubmit(async (fields) => {
    await onSubmit(textOf(fields, 'name').trim());
    onOpenChange(false);
  });
  const onlyName = (problemIn(submit.error)?.errors ?? []).every((issue) => issue.field === 'name');
  return (
    <Dialog className="dialog">
      <Heading slot="title">{title}</Heading>
      <Form className="stack" onSubmit={submit.onSubmit} validationErrors={submit.validationErrors}>
        <TextInput
          label="Name"
          name="name"
          defaultValue={initialName}
          isRequired
          maxLength={100}
          autoFocus
          description="Only you see your views. Each of them needs its own name."
        />
        {submit.error !== null && <ProblemNotice error={submit.error} title="The view was not saved" fieldsShown={onlyName} />}
        <div className="dialog-actions">
          <Button className="button" slot="close" isDisabled={submit.pending}>
            Cancel
          </Button>
          <Button className="button button-primary" type="submit" isPending={submit.pending}>
            {submitLabel}
          </Button>
        </div>
      </Form>
    </Dialog>
  );
}
