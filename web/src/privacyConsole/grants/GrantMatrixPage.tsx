import { useState } from 'react';
import { Button, Checkbox } from 'react-aria-components';
import { purposeLabel } from '../../purpose/purposeLabels.ts';
import { usePurposes } from '../../purpose/usePurposes.ts';
import { useSession } from '../../session/sessionContext.ts';
import { usePermission } from '../../session/usePermission.ts';
import { humanise } from '../../ui/format.ts';
import { Loading } from '../../ui/Loading.tsx';
import { ProblemNotice } from '../../ui/ProblemNotice.tsx';
import { GrantChangeList } from './GrantChangeList.tsx';
import { grantChanges, type RoleGrants, toggledGrant } from './grantChanges.ts';
import { useApplyGrantChanges, useRoleGrants } from './useRoleGrants.ts';

type Applied = Array<{ role: string; added: string[]; removed: string[] }>;

/**
 * Roles × purposes: a role may act only for the purposes ticked here (default deny). Ticks are
 * a draft until the admin reviews the changes in words and applies them; each takes effect at
 * once for every session and API key of the role.
 */
export function GrantMatrixPage() {
  const { me, reload } = useSession();
  const purposes = usePurposes();
  const saved = useRoleGrants();
  const [draft, setDraft] = useState<RoleGrants | null>(null);
  const [applied, setApplied] = useState<Applied | null>(null);
  const apply = useApplyGrantChanges((done) => {
    setDraft(null);
    setApplied(done);
    // The admin's own role may have changed: the purposes offered in the header follow.
    if (me && done.some((change) => change.role === me.role)) void reload();
  });
  const editable = usePermission('role_grant:write');

  if (purposes.isPending || saved.isPending) return <Loading what="the role grants" />;
  if (purposes.isError || saved.isError) return <ProblemNotice error={purposes.error ?? saved.error} title="The role grants could not be loaded" />;
  const shown = draft ?? saved.data;
  const changes = grantChanges(saved.data, shown);
  const purposeKeys = [...purposes.data.keys()];

  return (
    <section className="page" aria-labelledby="grants-heading">
      <header className="page-header">
        <h1 id="grants-heading">Role grants</h1>
        <p className="muted">
          {editable
            ? 'Tick the purposes each role may act for, review the changes, then apply them. They take effect at once for every session and API key of the role.'
            : 'The purposes each role may act for. Only admins and privacy officers can change them.'}
        </p>
      </header>
      {applied && (
        <div className="notice notice-success" role="status">
          <p className="notice-title">Grants changed</p>
          <GrantChangeList changes={applied} tense="done" />
        </div>
      )}
      <div className="console-table-wrap">
        <table className="console-table grant-matrix">
          <caption className="visually-hidden">Purposes granted to each role</caption>
          <thead>
            <tr>
              <th scope="col" className="grant-role-heading">
                Role
              </th>
              {purposeKeys.map((key) => (
                <th scope="col" key={key}>
                  {purposeLabel(key)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {[...shown.entries()].map(([role, granted]) => (
              <tr key={role}>
                <th scope="row" className="grant-role-heading">
                  {humanise(role)}
                </th>
                {purposeKeys.map((key) => (
                  <td key={key} className={saved.data.get(role)?.has(key) === granted.has(key) ? undefined : 'grant-changed'}>
                    <Checkbox
                      className="checkbox grant-toggle"
                      aria-label={`${humanise(role)} may act for ${purposeLabel(key)}`}
                      isSelected={granted.has(key)}
                      isReadOnly={!editable || apply.isPending}
                      onChange={(isGranted) => {
                        setApplied(null);
                        setDraft(toggledGrant(shown, role, key, isGranted));
                      }}
                    >
                      <span className="checkbox-box" aria-hidden="true" />
                    </Checkbox>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {changes.length > 0 && (
        <section className="panel review-panel" aria-labelledby="review-heading">
          <h2 id="review-heading">Review the changes</h2>
          <GrantChangeList changes={changes} tense="planned" />
          <p className="muted">A role that loses a purpose can no longer act for it from its next request.</p>
          {apply.isError && <ProblemNotice error={apply.error} title="The grants were not changed" />}
          <div className="form-actions">
            <Button className="button button-primary" isPending={apply.isPending} onPress={() => apply.mutate(changes)}>
              Apply {changes.length === 1 ? 'the change' : `${changes.length} changes`}
            </Button>
            <Button className="button" isDisabled={apply.isPending} onPress={() => setDraft(null)}>
              Discard
            </Button>
          </div>
        </section>
      )}
    </section>
  );
}
