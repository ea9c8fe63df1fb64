import { Button, Form } from 'react-aria-components';
import { useNavigate } from 'react-router';
import { api } from '../api/client.ts';
import { dataOf } from '../api/problem.ts';
import { PublicLayout } from '../layout/PublicLayout.tsx';
import { useSession } from '../session/sessionContext.ts';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { TextInput } from '../ui/TextInput.tsx';
import { textOf, useFormSubmit } from '../ui/useFormSubmit.ts';
import { MissingTokenNotice } from './MissingTokenNotice.tsx';
import { NewPasswordInput } from './NewPasswordInput.tsx';
import { useOneTimeToken } from './useOneTimeToken.ts';

/** The page an invitation e-mail opens: the invitee chooses a name and password and is signed in. */
export function AcceptInvitationPage() {
  const token = useOneTimeToken();
  const { reload } = useSession();
  const navigate = useNavigate();
  const { pending, error, onSubmit, validationErrors } = useFormSubmit(async (fields) => {
    if (!token) return;
    const body = { token, displayName: textOf(fields, 'displayName'), password: textOf(fields, 'password') };
    dataOf(await api.POST('/api/v1/auth/accept-invitation', { body }));
    await reload();
    navigate('/contacts', { replace: true });
  });
  return (
    <PublicLayout title="Accept your invitation">
      <p>Choose the name others will see and your password. The link works once; afterwards you sign in with your e-mail address and this password.</p>
      {token ? (
        <Form className="stack" aria-label="Accept your invitation" onSubmit={onSubmit} validationErrors={validationErrors}>
          <TextInput name="displayName" label="Your name" isRequired autoComplete="name" />
          <NewPasswordInput label="Password" />
          {error !== null && <ProblemNotice error={error} title="The invitation could not be accepted" fieldsShown />}
          <Button type="submit" className="button button-primary" isPending={pending}>
            Join the workspace
          </Button>
        </Form>
      ) : (
        <MissingTokenNotice />
      )}
    </PublicLayout>
  );
}
