import type { BenchEnvironment } from './benchEnvironment.ts';

/** Candor's side of a figure: one API request, in-process (app.inject) or over HTTP (fetch). */
/** `csv`, when given, is sent as the text/csv body instead of JSON. */
export type ApiRequest = { method: 'GET' | 'POST' | 'DELETE'; url: string; body?: unknown; csv?: string };
export type ApiClient = { transport: 'in-process' | 'http'; send(request: ApiRequest): Promise<{ status: number; body: string }> };

const headersFor = (apiKey: string, hasBody: boolean, csv = false) => ({
  authorization: `Bearer ${apiKey}`,
  'candor-purpose': 'sales',
  ...(hasBody ? { 'content-type': csv ? 'text/csv' : 'application/json' } : {}),
});

const payloadOf = ({ body, csv }: ApiRequest) => csv ?? (body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));

/** In-process requests with the environment's API key, or another workspace's. */
export function inProcessClient(env: BenchEnvironment, apiKey = env.apiKey): ApiClient {
  return {
    transport: 'in-process',
    async send(request) {
      const payload = payloadOf(request);
      const { method, url } = request;
      const response = await env.app.inject({ method, url, payload, headers: headersFor(apiKey, payload !== undefined, request.csv !== undefined) });
      return { status: response.statusCode, body: response.body };
    },
  };
}

/** Listens on 127.0.0.1 (an ephemeral port; closed with the app) and sends real HTTP requests with keep-alive. */
export async function httpClient(env: BenchEnvironment): Promise<ApiClient> {
  const address = await env.app.listen({ host: '127.0.0.1', port: 0 });
  return {
    transport: 'http',
    async send(request) {
      const payload = payloadOf(request);
      const { method, url } = request;
      const response = await fetch(`${address}${url}`, {
        method,
        body: payload,
        headers: headersFor(env.apiKey, payload !== undefined, request.csv !== undefined),
      });
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
