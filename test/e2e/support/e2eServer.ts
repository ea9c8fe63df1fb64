import { inject } from 'vitest';

/** The server every browser test uses (test/e2e/globalSetup.ts): its address and a key per demo role. */
export type E2eServer = { url: string; keys: Record<string, string> };

declare module 'vitest' {
  export interface ProvidedContext {
    e2eServer: E2eServer;
  }
}

export const e2eServer = (): E2eServer => inject('e2eServer');

export const demoPassword = 'candor-demo-password';
export const demoEmail = (role: string) => `${role === 'privacy_officer' ? 'privacy' : role}@demo.candor.localhost`;

/** A call to the server's API with a demo role's key, for what a test sets up or checks outside the browser. */
export async function callApi(role: string, path: string, init: RequestInit & { purpose?: string } = {}): Promise<Response> {
  const { url, keys } = e2eServer();
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${keys[role]}`);
  if (init.purpose) headers.set('candor-purpose', init.purpose);
  if (init.body) headers.set('content-type', 'application/json');
  return fetch(`${url}${path}`, { ...init, headers });
}
