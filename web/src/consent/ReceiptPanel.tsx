import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { Loading } from '../ui/Loading.tsx';
import { ProblemNotice } from '../ui/ProblemNotice.tsx';
import type { ReceiptVerification } from '../api/types.ts';
import { loadReceipt } from './useConsentHistory.ts';

const verdict = (result: ReceiptVerification) =>
  !result.valid ? `Not valid (${result.reason ?? 'unknown reason'})` : result.live ? 'Valid, and the consent is live' : 'Valid; the consent is not live now';

/** One event's receipt: what the verifier says, a download of the signed JWS, and the receipt decoded. */
export function ReceiptPanel({ purpose, contactId, eventId }: { purpose: string; contactId: string; eventId: string }) {
  const receipt = useQuery({ queryKey: ['consent-receipt', purpose, contactId, eventId], queryFn: () => loadReceipt(purpose, contactId, eventId) });
  // A blob URL for the download, released when the panel closes.
  const href = useMemo(() => (receipt.data ? URL.createObjectURL(new Blob([receipt.data.jws], { type: 'application/jose' })) : null), [receipt.data]);
  useEffect(() => () => (href ? URL.revokeObjectURL(href) : undefined), [href]);
  if (receipt.isPending) return <Loading what="the receipt" />;
  if (receipt.isError) return <ProblemNotice error={receipt.error} title="The receipt could not be loaded" />;
  const { verification, kid, receipt: decoded } = receipt.data;
  return (
    <div className="receipt-panel">
      <p className="receipt-verdict" role="status">
        Verification: <strong>{verdict(verification)}</strong>
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
