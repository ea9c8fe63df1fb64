import { Button, Form } from 'react-aria-components';
import { Link } from 'react-router';
import { problemIn } from '../api/problem.ts';
import { TextInput } from '../ui/TextInput.tsx';
import { textOf, useFormSubmit } from '../ui/useFormSubmit.ts';
import { recall, remember, workspaceKey } from './deviceMemory.ts';
import { useSession } from './sessionContext.ts';

function signInFailure(error: unknown): string {
  const problem = problemIn(error);
  if (problem?.status === 429) return problem.detail ?? 'Too many tries: wait a moment before trying again.';
  if (problem?.status === 401) return 'That workspace, e-mail address and password do not match an account.';
  return problem?.detail ?? 'Candor could not be reached. Check the connection and try again.';
}

/** Workspace, e-mail and password; on success the session cookie is set and the caller's page shows. */
export function SignInForm({ onSignedIn }: { onSignedIn?: () => void }) {
  const { signIn } = useSession();
  const { pending, error, onSubmit } = useFormSubmit(async (fields) => {
    const workspace = textOf(fields, 'workspace');
    await signIn({ workspace, email: textOf(fields, 'email'), password: textOf(fields, 'password') });
    remember(workspaceKey, workspace);
    onSignedIn?.();
  });
  return (
    <Form className="stack" aria-label="Sign in" onSubmit={onSubmit}>
      <TextInput name="workspace" label="Workspace" isRequired defaultValue={recall(workspaceKey) ?? ''} autoComplete="organization" />
      <TextInput name="email" label="E-mail address" type="email" isRequired autoComplete="username" />
      <TextInput name="password" label="Password" type="password" isRequired autoComplete="current-password" />
      {error !== null && (
        <p className="notice notice-error" role="alert">
          {signInFailure(error)}
        </p>
      )}
      <Button type="submit" className="button button-primary" isPending={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </Button>
      <p className="muted">
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
    </Form>
  );
}
