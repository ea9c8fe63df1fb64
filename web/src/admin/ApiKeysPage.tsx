import { useState } from 'react';
import type { ApiKey, CreatedApiKey } from '../api/types.ts';
import { purposeLabel } from '../purpose/purposeLabels.ts';
import { ConfirmButton } from '../ui/ConfirmButton.tsx';
import { formatDate } from '../ui/format.ts';
import { QueryPanel } from '../ui/QueryPanel.tsx';
import { SimpleTable } from '../ui/SimpleTable.tsx';
import { useApiKeys, useRevokeApiKey } from './adminApi.ts';
import { CreateApiKeyForm } from './CreateApiKeyForm.tsx';
import { roleLabels } from './roles.ts';
import { SecretOnce } from './SecretOnce.tsx';

function RevokeButton({ apiKey }: { apiKey: ApiKey }) {
  const revoke = useRevokeApiKey(apiKey.id);
  return (
    <ConfirmButton
      label="Revoke"
      fullLabel={`Revoke ${apiKey.name}`}
      question={`Revoke ${apiKey.name}?`}
      confirm="Revoke"
      cancel="Keep the key"
      action={revoke}
      failure="The key was not revoked"
    >
      <p>It stops working at once, everywhere it is used. This cannot be reversed: create a new key instead.</p>
    </ConfirmButton>
  );
}

function keyState(key: ApiKey): string {
  if (key.revokedAt) return `Revoked ${formatDate(key.revokedAt)}`;
  if (key.expiresAt && new Date(key.expiresAt) < new Date()) return `Expired ${formatDate(key.expiresAt)}`;
  return key.expiresAt ? `Active until ${formatDate(key.expiresAt)}` : 'Active';
}

/** The workspace's API keys with their purposes (never their secrets), a new key shown once, and revocation. */
export function ApiKeysPage() {
  const keys = useApiKeys();
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  return (
    <div className="stack">
      {created?.key ? (
        <SecretOnce title={`The key ${created.name}`} secret={created.key} onDone={() => setCreated(null)} />
      ) : (
        <CreateApiKeyForm onCreated={setCreated} />
      )}
      <QueryPanel id="keys-heading" title="API keys" query={keys} what="the API keys" empty={(list) => (list.length === 0 ? 'No API key yet.' : null)}>
        {(list) => (
          <SimpleTable
            labelledBy="keys-heading"
            columns={[
              { label: 'Name' },
              { label: 'Key id' },
              { label: 'Role' },
              { label: 'Purposes' },
              { label: 'Created' },
              { label: 'State' },
              { label: 'Actions', hidden: true },
            ]}
          >
            {list.map((key) => (
              <tr key={key.id}>
                <th scope="row">{key.name}</th>
                <td>
                  <code>{key.keyId}</code>
                </td>
                <td>{roleLabels[key.role]}</td>
                <td>
                  {key.purposes.map((purpose) => (purpose === key.defaultPurpose ? `${purposeLabel(purpose)} (default)` : purposeLabel(purpose))).join(', ')}
                </td>
                <td className="nowrap">{formatDate(key.createdAt)}</td>
                <td>{keyState(key)}</td>
                <td>{!key.revokedAt && <RevokeButton apiKey={key} />}</td>
              </tr>
            ))}
          </SimpleTable>
        )}
      </QueryPanel>
    </div>
  );
}
