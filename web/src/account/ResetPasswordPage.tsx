import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { Link } from 'react-router';
import { api } from '../api/client.ts';
import { dataOf } from '../api/problem.ts';
import { PublicLayout } from '../layout/PublicLayout.tsx';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { textOf, useFormSubmit } from '../ui/useFormSubmit.ts';
import { MissingTokenNotice } from './MissingTokenNotice.tsx';
import { NewPasswordInput } from './NewPasswordInput.tsx';
import { useOneTimeToken } from './useOneTimeToken.ts';

/** The page a password-reset e-mail opens: a new password, which ends every session of the account. */
export function ResetPasswordPage() {
  const token = useOneTimeToken();
  const [done, setDone] = useState(false);
  const { pending, error, onSubmit, validationErrors } = useFormSubmit(async (fields) => {
    if (!token) return;
    dataOf(await api.POST('/api/v1/auth/password-reset/complete', { body: { token, password: textOf(fields, 'password') } }));
    setDone(true);
  });

  if (done) {
    return (
      <PublicLayout title="Your password is changed">
        <p role="status">You were signed out everywhere. Sign in with your e-mail address and the new password.</p>
        <Link className="button button-primary" to="/sign-in">
          Sign in
        </Link>
      </PublicLayout>
    );
  }
  return (
    <PublicLayout title="Choose a new password">
      <p>Setting a new password signs you out everywhere. The link works once.</p>
      {token ? (
        <Form className="stack" aria-label="Choose a new password" onSubmit={onSubmit} validationErrors={validationErrors}>
          <NewPasswordInput label="New password" />
          {error !== null && <ProblemNotice error={error} title="The password could not be set" fieldsShown />}
          <Button type="submit" className="button button-primary" isPending={pending}>
            Set the new password
          </Button>
        </Form>
      ) : (
        <MissingTokenNotice />
      )}
    </PublicLayout>
  );
}
