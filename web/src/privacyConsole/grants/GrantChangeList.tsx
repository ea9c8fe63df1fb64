import { purposeLabel } from '../../purpose/purposeLabels.ts';
import { humanise } from '../../ui/format.ts';

type ChangeLine = { role: string; added: string[]; removed: string[] };

const purposeList = (keys: string[]) => keys.map(purposeLabel).join(', ');

/** Per role, in words: "Sales — granted: Support; withdrawn: Order fulfilment". */
export function GrantChangeList({ changes, tense }: { changes: ChangeLine[]; tense: 'planned' | 'done' }) {
  const [grant, withdraw] = tense === 'planned' ? ['gains', 'loses'] : ['granted', 'withdrawn'];
  return (
    <ul className="grant-change-list">
      {changes.map((change) => (
        <li key={change.role}>
          <strong>{humanise(change.role)}</strong>
          {change.added.length > 0 && (
            <span className="grant-added">
              {' '}
              {grant}: {purposeList(change.added)}
            </span>
          )}
          {change.added.length > 0 && change.removed.length > 0 && ';'}
          {change.removed.length > 0 && (
            <span className="grant-removed">
              {' '}
              {withdraw}: {purposeList(change.removed)}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}
