import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { Link } from 'react-router';
import { api } from '../api/client.ts';
import { dataOf } from '../api/problem.ts';
import { PublicLayout } from '../layout/PublicLayout.tsx';
import { recall, workspaceKey } from '../session/deviceMemory.ts';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { TextInput } from '../ui/TextInput.tsx';
import { textOf, useFormSubmit } from '../ui/useFormSubmit.ts';

/** Asks for a reset e-mail. The answer is the same whether or not the account exists. */
export function ForgotPasswordPage() {
  const [message, setMessage] = useState<string | null>(null);
  const { pending, error, onSubmit } = useFormSubmit(async (fields) => {
    const body = { workspace: textOf(fields, 'workspace'), email: textOf(fields, 'email') };
    setMessage(dataOf(await api.POST('/api/v1/auth/password-reset', { body })).data.message);
  });
  return (
    <PublicLayout title="Reset your password">
      {message ? (
        <p role="status">{message}</p>
      ) : (
        <Form className="stack" aria-label="Reset your password" onSubmit={onSubmit}>
          <TextInput name="workspace" label="Workspace" isRequired defaultValue={recall(workspaceKey) ?? ''} />
          <TextInput name="email" label="E-mail address" type="email" isRequired autoComplete="username" />
          {error !== null && <ProblemNotice error={error} />}
          <Button type="submit" className="button button-primary" isPending={pending}>
            Send the reset link
          </Button>
        </Form>
      )}
      <p className="muted">
        <Link to="/sign-in">Back to sign in</Link>
      </p>
    </PublicLayout>
  );
}
