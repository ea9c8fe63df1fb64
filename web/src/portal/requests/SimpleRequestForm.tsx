import { useState } from 'react';
import { Button, FieldError, Form, Label, TextArea, TextField } from 'react-aria-components';
import type { PortalRequestInput } from '../../api/types.ts';
import { formatDate } from '../../ui/format.ts';
import { ProblemNotice } from '../../ui/ProblemNotice.tsx';
import { textOf } from '../../ui/useFormSubmit.ts';
import { useAskForRequest } from './usePortalRequests.ts';

type SimpleRequestFormProps = {
  workspace: string;
  kind: 'restriction' | 'objection';
  /** The form's heading's id and its words. */
  headingId: string;
  title: string;
  explanation: string;
  submitLabel: string;
  /** More of the request than the person's words (an objection's purpose); the chooser is drawn above the details. */
  extra?: { body: Partial<PortalRequestInput>; chooser: React.ReactNode };
};

/** A request in the person's own words (restriction, objection), received at once since they are signed in. */
export function SimpleRequestForm({ workspace, kind, headingId, title, explanation, submitLabel, extra }: SimpleRequestFormProps) {
  const ask = useAskForRequest(workspace);
  const [formKey, setFormKey] = useState(0);
  return (
    <section className="portal-ask" aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      <p>{explanation}</p>
      <Form
        key={formKey}
        className="stack"
        aria-labelledby={headingId}
        onSubmit={(event) => {
          event.preventDefault();
          const details = textOf(new FormData(event.currentTarget), 'details').trim();
          ask.mutate({ kind, ...extra?.body, ...(details ? { details } : {}) }, { onSuccess: () => setFormKey((key) => key + 1) });
        }}
      >
        {extra?.chooser}
        <TextField className="field" name="details">
          <Label>Anything you want to tell us (optional)</Label>
          <TextArea rows={3} />
          <FieldError />
        </TextField>
        {ask.isError && <ProblemNotice error={ask.error} title="Your request was not sent" />}
        <Button type="submit" className="button button-primary" isPending={ask.isPending}>
          {submitLabel}
        </Button>
      </Form>
      <p role="status" className="portal-ask-status">
        {ask.isSuccess ? `We have your request. We will answer by ${formatDate(ask.data.dueAt)}.` : ''}
      </p>
    </section>
  );
}
