import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { FilterSelect } from '../ui/FilterSelect.tsx';
import { formatDateTime } from '../ui/format.ts';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { TextInput } from '../ui/TextInput.tsx';
import { textOf, useFormSubmit } from '../ui/useFormSubmit.ts';
import { useInviteUser } from './adminApi.ts';
import { type Role, roleLabels } from './roles.ts';

/** Invites someone by e-mail with a role; the mail carries a one-time link valid for 7 days. */
export function InviteForm() {
  const invite = useInviteUser();
  const [role, setRole] = useState<Role>('sales');
  const [sent, setSent] = useState<string | null>(null);
  const { pending, error, onSubmit, validationErrors } = useFormSubmit(async (fields) => {
    setSent(null);
    const invitation = await invite.mutateAsync({ email: textOf(fields, 'email'), role });
    setSent(`An invitation was sent to ${invitation.email} as ${roleLabels[invitation.role]}; its link works until ${formatDateTime(invitation.expiresAt)}.`);
  });
  return (
    <section className="panel stack" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite someone</h2>
      <Form className="toolbar" aria-labelledby="invite-heading" onSubmit={onSubmit} validationErrors={validationErrors}>
        <TextInput name="email" label="E-mail address" type="email" isRequired />
        <FilterSelect label="Role" value={role} options={roleLabels} noneLabel={null} onChange={(next) => next && setRole(next)} />
        <Button type="submit" className="button button-primary form-submit" isPending={pending}>
          Send the invitation
        </Button>
      </Form>
      {error !== null && <ProblemNotice error={error} title="The invitation was not sent" fieldsShown />}
      <p role="status">{sent}</p>
    </section>
  );
}
