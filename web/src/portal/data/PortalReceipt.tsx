import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { dataOf } from '../../api/problem.ts';
import { receiptVerdict } from '../../consent/receiptVerdict.ts';
import { Loading } from '../../ui/Loading.tsx';
import { ProblemNotice } from '../../ui/ProblemNotice.tsx';
import { useBlobUrl } from '../../ui/useBlobUrl.ts';
import '../../styles/consent.css';

/** The readable middle of a compact JWS (its payload), or null when it is not one. */
function decodedPayload(jws: string): string | null {
  const payload = jws.split('.')[1];
  if (!payload) return null;
  try {
    const bytes = Uint8Array.from(atob(payload.replaceAll('-', '+').replaceAll('_', '/')), (character) => character.charCodeAt(0));
    return JSON.stringify(JSON.parse(new TextDecoder().decode(bytes)), null, 2);
  } catch {
    // Not a JWS this page can read: the download and the verifier's answer still say what it is.
    return null;
  }
}

/** A consent receipt: what the public verifier says of it, the signed file to keep, and what it holds. */
export function PortalReceipt({ eventId, receipt }: { eventId: string; receipt: string }) {
  const verification = useQuery({
    queryKey: ['consent-receipt-verification', eventId],
    queryFn: async () => dataOf(await api.POST('/api/v1/consent-receipts/verify', { body: { receipt } })).data,
  });
  const href = useBlobUrl(receipt, 'application/jose');
  const decoded = decodedPayload(receipt);
  return (
    <div className="receipt-panel">
      {verification.isPending ? (
        <Loading what="the check of the receipt" />
      ) : verification.isError ? (
        <ProblemNotice error={verification.error} title="The receipt could not be checked" />
      ) : (
        <p role="status">
          Checked: <strong>{receiptVerdict(verification.data)}</strong>
        </p>
      )}
      <p className="muted">A receipt is signed by us: keep it as proof of what you chose, and when.</p>
      {href && (
        <a className="button" href={href} download={`consent-receipt-${eventId}.jws`}>
          Download the signed receipt
        </a>
      )}
      {decoded && (
        <details>
          <summary>What the receipt says</summary>
          <pre className="receipt-json">{decoded}</pre>
        </details>
      )}
    </div>
  );
}
