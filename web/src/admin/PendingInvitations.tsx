import { Button } from 'react-aria-components';
import type { Invitation } from '../api/types.ts';
import { ConfirmButton } from '../ui/ConfirmButton.tsx';
import { formatDate, formatDateTime } from '../ui/format.ts';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { QueryPanel } from '../ui/QueryPanel.tsx';
import { SimpleTable } from '../ui/SimpleTable.tsx';
import { usePendingInvitations, useResendInvitation, useRevokeInvitation } from './invitationsApi.ts';
import { roleLabels } from './roles.ts';
import '../styles/invitations.css';

function WithdrawButton({ invitation }: { invitation: Invitation }) {
  const revoke = useRevokeInvitation(invitation.id);
  return (
    <ConfirmButton
      label="Withdraw"
      fullLabel={`Withdraw the invitation to ${invitation.email}`}
      question={`Withdraw the invitation to ${invitation.email}?`}
      confirm="Withdraw"
      cancel="Keep the invitation"
      action={revoke}
      failure="The invitation was not withdrawn"
    >
      <p>The link in the e-mail stops working at once. You can invite the address again later.</p>
    </ConfirmButton>
  );
}

/** Send again and Withdraw side by side, then what sending again did: done, or why not. */
function InvitationActions({ invitation }: { invitation: Invitation }) {
  const resend = useResendInvitation(invitation.id);
  return (
    <>
      <div className="invitation-actions">
        <Button className="button" aria-label={`Send again to ${invitation.email}`} isPending={resend.isPending} onPress={() => resend.mutate()}>
          Send again
        </Button>
        <WithdrawButton invitation={invitation} />
      </div>
      {resend.isError && <ProblemNotice error={resend.error} title="The invitation was not sent again" />}
      <p role="status" className="invitation-note">
        {resend.isSuccess ? 'Sent again; the old link no longer works.' : ''}
      </p>
    </>
  );
}

/** Invitations not yet accepted, newest first: when each was sent and until when its link works; withdraw or send a new link. */
export function PendingInvitations() {
  const pending = usePendingInvitations();
  return (
    <QueryPanel
      id="invitations-heading"
      title="Pending invitations"
      query={pending}
      what="the pending invitations"
      empty={(list) => (list.length === 0 ? 'No invitation is waiting for an answer.' : null)}
    >
      {(list) => (
        <SimpleTable
          labelledBy="invitations-heading"
          columns={[{ label: 'E-mail address' }, { label: 'Role' }, { label: 'Invited' }, { label: 'Link works until' }, { label: 'Actions', hidden: true }]}
        >
          {list.map((invitation) => (
            <tr key={invitation.id}>
              <th scope="row">{invitation.email}</th>
              <td>{roleLabels[invitation.role]}</td>
              <td className="nowrap">{formatDate(invitation.createdAt)}</td>
              <td className="nowrap">{formatDateTime(invitation.expiresAt)}</td>
              <td>
                <InvitationActions invitation={invitation} />
              </td>
            </tr>
          ))}
        </SimpleTable>
      )}
    </QueryPanel>
  );
}
