import { Button, Form } from 'react-aria-components';
import type { CreatedWebhook } from '../api/types.ts';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { TextInput } from '../ui/TextInput.tsx';
import { textOf, useFormSubmit } from '../ui/useFormSubmit.ts';
import { useCreateWebhook } from './adminApi.ts';

/** The event types typed as a list: "contact.created, deal.updated", or "*". */
export const eventTypesOf = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);

/** A new webhook: where to send, and which events. */
export function CreateWebhookForm({ onCreated }: { onCreated(webhook: CreatedWebhook): void }) {
  const create = useCreateWebhook();
  const { pending, error, onSubmit, validationErrors } = useFormSubmit(async (fields) => {
    onCreated(await create.mutateAsync({ url: textOf(fields, 'url'), eventTypes: eventTypesOf(textOf(fields, 'eventTypes')) }));
  });
  return (
    <section className="panel stack" aria-labelledby="new-webhook-heading">
      <h2 id="new-webhook-heading">Add a webhook</h2>
      <Form className="toolbar" aria-labelledby="new-webhook-heading" onSubmit={onSubmit} validationErrors={validationErrors}>
        <TextInput name="url" label="Receiver URL" type="url" isRequired className="field field-wide" />
        <TextInput name="eventTypes" label="Events" description="e.g. contact.created, deal.updated — or * for every event" defaultValue="*" isRequired />
        <Button type="submit" className="button button-primary form-submit" isPending={pending}>
          Add the webhook
        </Button>
      </Form>
      {error !== null && <ProblemNotice error={error} title="The webhook was not added" fieldsShown />}
    </section>
  );
}
