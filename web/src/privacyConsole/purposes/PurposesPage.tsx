import { useState } from 'react';
import type { Purpose } from '../../api/types.ts';
import { legalBasisLabel, purposeLabel } from '../../purpose/purposeLabels.ts';
import { usePurposes } from '../../purpose/usePurposes.ts';
import { Loading } from '../../ui/Loading.tsx';
import { ProblemNotice } from '../../ui/ProblemNotice.tsx';
import { RowEditButton } from '../EditorActions.tsx';
import { PurposeEditForm } from './PurposeEditForm.tsx';
import { consentValidityLabel, retentionLabel } from './retention.ts';

/**
 * The workspace's purposes: why data may be processed, on which legal basis, for how long
 * data is kept and (consent purposes) how long a consent counts; each one editable.
 */
export function PurposesPage() {
  const purposes = usePurposes();
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const editedPurpose = editing ? purposes.data?.get(editing) : undefined;
  return (
    <section className="page" aria-labelledby="purposes-heading">
      <header className="page-header">
        <h1 id="purposes-heading">Purposes</h1>
        <p className="muted">Every request names one of these in Candor-Purpose. A purpose keeps its legal basis for life: a new basis needs a new purpose.</p>
      </header>
      {saved && (
        <p className="notice notice-success" role="status">
          {purposeLabel(saved)} saved.
        </p>
      )}
      {purposes.isPending ? (
        <Loading what="the purposes" />
      ) : purposes.isError ? (
        <ProblemNotice error={purposes.error} title="The purposes could not be loaded" />
      ) : (
        <div className="console-table-wrap">
          <table className="console-table">
            <caption className="visually-hidden">Purposes</caption>
            <thead>
              <tr>
                <th scope="col">Purpose</th>
                <th scope="col">Legal basis</th>
                <th scope="col">Data use</th>
                <th scope="col">Description</th>
                <th scope="col">Retention</th>
                <th scope="col">Consent validity</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {[...purposes.data.values()].map((purpose: Purpose) => (
                <tr key={purpose.key}>
                  <th scope="row">
                    {purposeLabel(purpose.key)}
                    <code className="key">{purpose.key}</code>
                  </th>
                  <td>{legalBasisLabel(purpose)}</td>
                  <td>
                    <code>{purpose.dataUse}</code>
                  </td>
                  <td>{purpose.description}</td>
                  <td>{retentionLabel(purpose.retentionDays)}</td>
                  <td>{consentValidityLabel(purpose.legalBasis, purpose.consentValidityDays) ?? <span className="muted">No consent asked</span>}</td>
                  <td>
                    <RowEditButton
                      label="Edit"
                      rowName={purposeLabel(purpose.key)}
                      onPress={() => {
                        setSaved(null);
                        setEditing(purpose.key);
                      }}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editedPurpose && (
        <PurposeEditForm
          key={editedPurpose.key}
          purpose={editedPurpose}
          onClose={(savedKey) => {
            setEditing(null);
            setSaved(savedKey);
          }}
        />
      )}
    </section>
  );
}
