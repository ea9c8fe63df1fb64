import type { BenchEnvironment } from './benchEnvironment.ts';

/** Candor's side of a figure: one API request, in-process (app.inject) or over HTTP (fetch). */
export type ApiRequest = { method: 'GET' | 'POST'; url: string; body?: unknown };
export type ApiClient = { transport: 'in-process' | 'http'; send(request: ApiRequest): Promise<{ status: number; body: string }> };

const headersFor = (env: BenchEnvironment, hasBody: boolean) => ({
  authorization: `Bearer ${env.apiKey}`,
  'candor-purpose': 'sales',
  ...(hasBody ? { 'content-type': 'application/json' } : {}),
});

export function inProcessClient(env: BenchEnvironment): ApiClient {
  return {
    transport: 'in-process',
    async send({ method, url, body }) {
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const response = await env.app.inject({ method, url, payload, headers: headersFor(env, payload !== undefined) });
      return { status: response.statusCode, body: response.body };
    },
  };
}

/** Listens on 127.0.0.1 (an ephemeral port; closed with the app) and sends real HTTP requests with keep-alive. */
export async function httpClient(env: BenchEnvironment): Promise<ApiClient> {
  const address = await env.app.listen({ host: '127.0.0.1', port: 0 });
  return {
    transport: 'http',
    async send({ method, url, body }) {
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const response = await fetch(`${address}${url}`, { method, body: payload, headers: headersFor(env, payload !== undefined) });
      return { status: response.status, body: await response.text() };
    },
  };
}

export async function expectStatus(client: ApiClient, request: ApiRequest, status: number): Promise<string> {
  const response = await client.send(request);
  if (response.status !== status)
    throw new Error(`${request.method} ${request.url} answered ${response.status}, expected ${status}: ${response.body.slice(0, 300)}`);
  return response.body;
}
