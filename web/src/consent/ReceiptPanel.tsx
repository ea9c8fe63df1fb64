import { useQuery } from '@tanstack/react-query';
import { Loading } from '../ui/Loading.tsx';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import { useBlobUrl } from '../ui/useBlobUrl.ts';
import { receiptVerdict } from './receiptVerdict.ts';
import { loadReceipt } from './useConsentHistory.ts';

/** One event's receipt: what the verifier says, a download of the signed JWS, and the receipt decoded. */
export function ReceiptPanel({ purpose, contactId, eventId }: { purpose: string; contactId: string; eventId: string }) {
  const receipt = useQuery({ queryKey: ['consent-receipt', purpose, contactId, eventId], queryFn: () => loadReceipt(purpose, contactId, eventId) });
  // A blob URL for the download, released when the panel closes.
  const href = useBlobUrl(receipt.data?.jws, 'application/jose');
  if (receipt.isPending) return <Loading what="the receipt" />;
  if (receipt.isError) return <ProblemNotice error={receipt.error} title="The receipt could not be loaded" />;
  const { verification, kid, receipt: decoded } = receipt.data;
  return (
    <div className="receipt-panel">
      <p className="receipt-verdict" role="status">
        Verification: <strong>{receiptVerdict(verification)}</strong>
      </p>
      <p className="muted">Signed with key {kid} (EdDSA). Anyone holding the receipt can check it at POST /api/v1/consent-receipts/verify.</p>
      {href && (
        <a className="button" href={href} download={`consent-receipt-${eventId}.jws`}>
          Download the signed receipt
        </a>
      )}
      <details>
        <summary>The receipt, decoded</summary>
        <pre className="receipt-json">{JSON.stringify(decoded, null, 2)}</pre>
      </details>
    </div>
  );
}
