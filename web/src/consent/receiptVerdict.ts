import type { ReceiptVerification } from '../api/types.ts';

/** What the public verifier said of a consent receipt, in words. */
export const receiptVerdict = (result: ReceiptVerification) =>
  !result.valid ? `Not valid (${result.reason ?? 'unknown reason'})` : result.live ? 'Valid, and the consent is live' : 'Valid; the consent is not live now';
