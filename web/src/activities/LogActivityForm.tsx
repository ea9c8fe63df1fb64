import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, FieldError, Form, Label, Radio, RadioGroup, TextArea, TextField } from 'react-aria-components';
import { api, forPurpose } from '../api/client.ts';
import { dataOf } from '../api/problem.ts';
import { useSession } from '../session/sessionContext.ts';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { TextInput } from '../ui/TextInput.tsx';
import { textOf, useFormSubmit } from '../ui/useFormSubmit.ts';
import { type ActivityType, activityTypeLabels, endOfDay } from './activityTypes.ts';

/**
 * Logs a note, call, e-mail or meeting with the contact, or gives the user a task about
 * them with a due day; it shows in the timeline (and a task in My tasks) at once.
 */
export function LogActivityForm({ purpose, contactId }: { purpose: string; contactId: string }) {
  const { me } = useSession();
  const queryClient = useQueryClient();
  const [type, setType] = useState<ActivityType>('note');
  const [formKey, setFormKey] = useState(0);
  const [logged, setLogged] = useState<string | null>(null);
  const { pending, error, onSubmit, validationErrors } = useFormSubmit(async (fields) => {
    setLogged(null);
    const due = textOf(fields, 'dueAt');
    const task = type === 'task' ? { assigneeId: me?.user?.id ?? null, dueAt: due === '' ? null : endOfDay(due) } : {};
    const body = textOf(fields, 'body').trim();
    await api
      .POST('/api/v1/activities', {
        body: { type, subject: textOf(fields, 'subject').trim(), body: body === '' ? null : body, links: { contactIds: [contactId] }, ...task },
        headers: forPurpose(purpose),
      })
      .then(dataOf);
    await Promise.all([queryClient.invalidateQueries({ queryKey: ['timeline', purpose, contactId] }), queryClient.invalidateQueries({ queryKey: ['tasks'] })]);
    setLogged(type === 'task' ? 'Task added: it is in the timeline and in My tasks.' : `${activityTypeLabels[type]} logged: it is in the timeline.`);
    // A fresh form for the next entry, of the same type.
    setFormKey((key) => key + 1);
  });
  return (
    <section className="panel" aria-labelledby="log-heading">
      <h2 id="log-heading">Log an activity</h2>
      <Form key={formKey} className="stack" aria-labelledby="log-heading" onSubmit={onSubmit} validationErrors={validationErrors}>
        <RadioGroup className="type-choice" value={type} onChange={(value) => setType(value as ActivityType)} orientation="horizontal">
          <Label className="field-label">Type</Label>
          <div className="type-options">
            {Object.entries(activityTypeLabels).map(([key, label]) => (
              <Radio key={key} value={key} className="type-option">
                {label}
              </Radio>
            ))}
          </div>
        </RadioGroup>
        <TextInput name="subject" label={type === 'task' ? 'What to do' : 'Subject'} isRequired autoComplete="off" />
        <TextField className="field" name="body">
          <Label>Description</Label>
          <TextArea rows={3} />
          <FieldError />
        </TextField>
        {type === 'task' && <TextInput name="dueAt" label="Due on" type="date" description="Assigned to you; due by the end of that day." />}
        {error !== null && (
          <ProblemNotice
            error={error}
            title="It was not logged"
            fieldsShown={Object.keys(validationErrors).every((field) => ['subject', 'body', 'dueAt'].includes(field))}
          />
        )}
        <div className="form-actions">
          <Button type="submit" className="button button-primary" isPending={pending}>
            {type === 'task' ? 'Add the task' : `Log the ${activityTypeLabels[type].toLowerCase()}`}
          </Button>
        </div>
      </Form>
      <p role="status" className="muted log-status">
        {logged}
      </p>
    </section>
  );
}
