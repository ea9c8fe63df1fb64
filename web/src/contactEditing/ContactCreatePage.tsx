import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { Link, useNavigate } from 'react-router';
import { purposeLabel } from '../purpose/purposeLabels.ts';
import { usePurpose, useSession } from '../session/sessionContext.ts';
import { usePermission } from '../session/usePermission.ts';
import { Loading } from '../ui/Loading.tsx';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { useFormSubmit } from '../ui/useFormSubmit.ts';
import { ContactFormFields } from './ContactFormFields.tsx';
import { emptyContactForm, newContactOf } from './contactFormValues.ts';
import { createContact, forgetContactReads } from './contactWrites.ts';
import { NotOfferedNote } from './NotOfferedNote.tsx';
import { useOwnerChoices, useWritableFields } from './useWritableFields.ts';
import '../styles/contactEditing.css';

/** A new contact, with the fields the purpose may write, owned by the user unless they choose otherwise; then its page. */
export function ContactCreatePage() {
  const purpose = usePurpose();
  const { me } = useSession();
  const meId = me?.user?.id ?? null;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const fields = useWritableFields(purpose);
  const users = useOwnerChoices(usePermission('user:read'));
  const [values, setValues] = useState({ ...emptyContactForm, ownerId: meId ?? '' });
  const { pending, error, onSubmit, validationErrors } = useFormSubmit(async () => {
    const contact = await createContact(purpose, newContactOf(values, fields.data?.customFields ?? []));
    await forgetContactReads(queryClient);
    navigate(`/contacts/${contact.id}`);
  });
  const failed = fields.error ?? users.error;
  return (
    <section className="page form-page" aria-labelledby="new-contact-heading">
      <p className="breadcrumb">
        <Link to="/contacts">← Contacts</Link>
      </p>
      <h1 id="new-contact-heading">New contact</h1>
      <p className="muted">Only the fields {purposeLabel(purpose)} may use are offered; the contact is recorded as entered by staff.</p>
      {fields.isPending || users.isPending ? (
        <Loading what="the form" />
      ) : failed !== null || !fields.data ? (
        <ProblemNotice error={failed} title="The form could not be prepared" />
      ) : (
        <Form className="panel stack" aria-labelledby="new-contact-heading" onSubmit={onSubmit} validationErrors={validationErrors}>
          <NotOfferedNote withheld={fields.data.refused} purpose={purpose} definitions={fields.data.customFields} />
          <ContactFormFields
            purpose={purpose}
            fields={fields.data.fields}
            customFields={fields.data.customFields}
            owners={{ meId, users: users.data ?? null, currentOwnerId: '' }}
            values={values}
            onChange={setValues}
          />
          {error !== null && <ProblemNotice error={error} title="The contact was not created" fieldsShown />}
          <div className="form-actions">
            <Button type="submit" className="button button-primary" isPending={pending}>
              {pending ? 'Creating…' : 'Create the contact'}
            </Button>
            <Link className="button" to="/contacts">
              Cancel
            </Link>
          </div>
        </Form>
      )}
    </section>
  );
}
