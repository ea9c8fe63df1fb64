import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { useNavigate } from 'react-router';
import { problemIn } from '../api/problem.ts';
import { formatDateTime } from '../ui/format.ts';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { TextInput } from '../ui/TextInput.tsx';
import { textOf, useFormSubmit } from '../ui/useFormSubmit.ts';
import type { SentCode } from './PortalEmailForm.tsx';
import { portalKeys, startPortalSignIn, verifyPortalSignIn } from './portalApi.ts';
import { portalHome } from './portalPaths.ts';

/** `returnTo`: the page to open once signed in (the portal's home unless told). */
type CodeFormProps = { workspace: string; sent: SentCode; returnTo?: string; onResent(sent: SentCode): void; onStartAgain(): void };

/** Why the code was refused, in plain words; the API's own reason is shown under the field. */
function codeRefusal(error: unknown): string | null {
  const problem = problemIn(error);
  if (problem?.status === 422 && problem.errors?.some((issue) => issue.field === 'code'))
    return 'That code did not work. Check that you typed the newest code we sent; a code works for a short time and only once. If it still fails, send a new code.';
  return null;
}

/** The second step: the 6-digit code from the e-mail; a new code or another address when it does not come. */
export function PortalCodeForm({ workspace, sent, returnTo, onResent, onStartAgain }: CodeFormProps) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [resent, setResent] = useState(false);
  const verify = useFormSubmit(async (fields) => {
    await verifyPortalSignIn(workspace, sent.signInId, textOf(fields, 'code').trim());
    await queryClient.invalidateQueries({ queryKey: portalKeys.all(workspace) });
    navigate(returnTo ?? portalHome(workspace), { replace: true });
  });
  const resend = useFormSubmit(async () => {
    onResent({ email: sent.email, ...(await startPortalSignIn(workspace, sent.email)) });
    setResent(true);
  });
  const refusal = codeRefusal(verify.error);
  return (
    <>
      <p role="status">
        {resent ? 'We sent a new code to ' : 'We sent a 6-digit code to '}
        <strong>{sent.email}</strong>. It works until {formatDateTime(sent.expiresAt)}. If it does not arrive within a few minutes, look in your spam folder, or
        send a new code.
      </p>
      <Form className="stack" aria-label="Enter your code" onSubmit={verify.onSubmit} validationErrors={verify.validationErrors}>
        <TextInput
          name="code"
          label="Code from the e-mail"
          isRequired
          autoComplete="one-time-code"
          inputMode="numeric"
          pattern="[0-9 ]{6,7}"
          maxLength={7}
          description="6 digits"
          autoFocus
        />
        {refusal ? (
          <p className="notice notice-error" role="alert">
            {refusal}
          </p>
        ) : (
          verify.error !== null && <ProblemNotice error={verify.error} title="We could not sign you in" fieldsShown />
        )}
        <Button type="submit" className="button button-primary" isPending={verify.pending}>
          Sign in
        </Button>
      </Form>
      <Form className="portal-code-help" aria-label="No code?" onSubmit={resend.onSubmit}>
        <Button type="submit" className="button" isPending={resend.pending}>
          Send a new code
        </Button>
        <Button className="button button-quiet" onPress={onStartAgain}>
          Use another e-mail address
        </Button>
      </Form>
      {resend.error !== null && <ProblemNotice error={resend.error} title="We could not send a new code" />}
    </>
  );
}
