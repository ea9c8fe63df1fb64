import { createHmac } from 'node:crypto';
import { kernelKeyStore } from './runtime.ts';

/**
 * A keyed fingerprint of a request, for records that must recognise the same request again
 * (idempotency keys) without keeping it. HMAC-SHA256 under the workspace's request-fingerprint
 * key, which lives in the key store, never in the database: unlike a plain hash, a database
 * copy alone cannot be used to confirm a guessed body (say, an erased contact's e-mail).
 * The domain tag keeps these MACs apart from anything else computed under a workspace key.
 */
export async function requestFingerprint(tenantId: string, request: string): Promise<string> {
  const key = await kernelKeyStore().requestFingerprintKey(tenantId.toLowerCase());
  return createHmac('sha256', key).update('candor-request-fingerprint\u0000v1\u0000').update(request, 'utf8').digest('hex');
}
