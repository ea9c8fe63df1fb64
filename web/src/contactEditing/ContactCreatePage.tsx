import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { Link, useNavigate } from 'react-router';
import { purposeLabel } from '../purpose/purposeLabels.ts';
import { usePurpose } from '../session/sessionContext.ts';
import { Loading } from '../ui/Loading.tsx';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { useFormSubmit } from '../ui/useFormSubmit.ts';
import { ContactFormFields } from './ContactFormFields.tsx';
import { changedFields, changeOf, emptyContactForm } from './contactFormValues.ts';
import { createContact, forgetContactReads } from './contactWrites.ts';
import { useWritableFields } from './useWritableFields.ts';
import '../styles/contactEditing.css';

/** A new contact, with the fields the purpose may write; then its page. */
export function ContactCreatePage() {
  const purpose = usePurpose();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const fields = useWritableFields(purpose);
  const [values, setValues] = useState(emptyContactForm);
  const { pending, error, onSubmit, validationErrors } = useFormSubmit(async () => {
    const contact = await createContact(purpose, changeOf(values, changedFields(emptyContactForm, values)));
    await forgetContactReads(queryClient);
    navigate(`/contacts/${contact.id}`);
  });
  return (
    <section className="page form-page" aria-labelledby="new-contact-heading">
      <p className="breadcrumb">
        <Link to="/contacts">← Contacts</Link>
      </p>
      <h1 id="new-contact-heading">New contact</h1>
      <p className="muted">Only the fields {purposeLabel(purpose)} may use are offered; the contact is recorded as entered by staff.</p>
      {fields.isPending ? (
        <Loading what="the form" />
      ) : fields.isError ? (
        <ProblemNotice error={fields.error} title="The form could not be prepared" />
      ) : (
        <Form className="panel stack" aria-labelledby="new-contact-heading" onSubmit={onSubmit} validationErrors={validationErrors}>
          <ContactFormFields fields={fields.data} values={values} onChange={setValues} />
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
