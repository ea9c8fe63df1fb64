import { Button, Form } from 'react-aria-components';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { TextInput } from '../ui/TextInput.tsx';
import { textOf, useFormSubmit } from '../ui/useFormSubmit.ts';
import { startPortalSignIn } from './portalApi.ts';

/** A code mailed: where to, the sign-in it verifies and when it stops working. Kept in memory only. */
export type SentCode = { email: string; signInId: string; expiresAt: string };

/** The first step of signing in: the e-mail address the code goes to. */
export function PortalEmailForm({ workspace, onSent }: { workspace: string; onSent(sent: SentCode): void }) {
  const { pending, error, onSubmit, validationErrors } = useFormSubmit(async (fields) => {
    const email = textOf(fields, 'email').trim();
    const started = await startPortalSignIn(workspace, email);
    onSent({ email, signInId: started.signInId, expiresAt: started.expiresAt });
  });
  return (
    <Form className="stack" aria-label="Sign in with your e-mail address" onSubmit={onSubmit} validationErrors={validationErrors}>
      <TextInput
        name="email"
        label="Your e-mail address"
        type="email"
        isRequired
        autoComplete="email"
        description="We send a 6-digit code to this address. No password needed."
      />
      {error !== null && <ProblemNotice error={error} title="We could not send a code" fieldsShown />}
      <Button type="submit" className="button button-primary" isPending={pending}>
        Send me a code
      </Button>
    </Form>
  );
}
