import type { User } from '../api/types.ts';
import { useSession } from '../session/sessionContext.ts';
import { ConfirmButton } from '../ui/ConfirmButton.tsx';
import { formatDate } from '../ui/format.ts';
import { QueryPanel } from '../ui/QueryPanel.tsx';
import { SimpleTable } from '../ui/SimpleTable.tsx';
import { useDeactivateUser, useUsers } from './adminApi.ts';
import { InviteForm } from './InviteForm.tsx';
import { PendingInvitations } from './PendingInvitations.tsx';
import { roleLabels } from './roles.ts';

const statusLabels: Record<User['status'], string> = { active: 'Active', invited: 'Invited', deactivated: 'Deactivated' };

function DeactivateButton({ user }: { user: User }) {
  const deactivate = useDeactivateUser(user.id);
  return (
    <ConfirmButton
      label="Deactivate"
      fullLabel={`Deactivate ${user.displayName}`}
      question={`Deactivate ${user.displayName}?`}
      confirm="Deactivate"
      cancel="Keep the account"
      action={deactivate}
      failure="The account was not deactivated"
    >
      <p>They are signed out everywhere at once, and the API keys they created stop working. An admin can let them in again later; their keys stay revoked.</p>
    </ConfirmButton>
  );
}

/** The workspace's staff accounts, the invitation form and the invitations still pending, and deactivation. */
export function UsersPage() {
  const users = useUsers();
  const { me } = useSession();
  return (
    <div className="stack">
      <InviteForm />
      <PendingInvitations />
      <QueryPanel id="users-heading" title="People" query={users} what="the people">
        {(list) => (
          <SimpleTable
            labelledBy="users-heading"
            columns={[
              { label: 'Name' },
              { label: 'E-mail address' },
              { label: 'Role' },
              { label: 'Status' },
              { label: 'Since' },
              { label: 'Actions', hidden: true },
            ]}
          >
            {list.map((user) => (
              <tr key={user.id}>
                <th scope="row">{user.displayName}</th>
                <td>{user.email}</td>
                <td>{roleLabels[user.role]}</td>
                <td>
                  <span className={`status status-${user.status}`}>{statusLabels[user.status]}</span>
                </td>
                <td className="nowrap">{formatDate(user.createdAt)}</td>
                <td>{user.status === 'active' && user.id !== me?.user?.id && <DeactivateButton user={user} />}</td>
              </tr>
            ))}
          </SimpleTable>
        )}
      </QueryPanel>
    </div>
  );
}
