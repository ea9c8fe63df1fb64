import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { hostOf, isNonPublicAddress, publicOnlyLookup } from './addressPolicy.ts';

export type ReceiverOutcome = {
  /** The receiver's HTTP status, or null when none arrived. */
  statusCode: number | null;
  /** Why no status arrived ('timeout', 'ECONNREFUSED', 'non_public_address', …); null otherwise. */
  error: string | null;
  durationMs: number;
};

export type ReceiverRequestOptions = { timeoutMs: number; allowPrivateNetworks: boolean };

/**
 * POSTs one delivery. Redirects are not followed (a 3xx is a failed attempt), the response
 * body is never read or stored, and the whole exchange up to the response headers must
 * finish within `timeoutMs`. Errors are reported by code, never by message.
 */
export function postToReceiver(url: string, body: string, headers: Record<string, string>, options: ReceiverRequestOptions): Promise<ReceiverOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (statusCode: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ statusCode, error, durationMs: elapsed() });
    };
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return finish(null, 'invalid_url');
    }
    if (!options.allowPrivateNetworks && isNonPublicAddress(hostOf(target))) return finish(null, 'non_public_address');
    const transport = target.protocol === 'https:' ? https : http;
    const request = transport.request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: false,
        ...(options.allowPrivateNetworks ? {} : { lookup: publicOnlyLookup }),
      },
      (response) => {
        finish(response.statusCode ?? null, null);
        response.destroy();
      },
    );
    timer = setTimeout(() => {
      finish(null, 'timeout');
      request.destroy();
    }, options.timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => finish(null, errorCode(error)));
    request.end(body);
  });
}

function errorCode(error: NodeJS.ErrnoException): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(code) ? code : 'request_failed';
}
