import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postToReceiver } from './receiverRequest.ts';

let server: Server;
let base: string;
const received: Array<{ body: string; signature: string | undefined }> = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ body, signature: request.headers['candor-signature'] as string | undefined });
      if (request.url === '/slow') return; // never answers
      if (request.url === '/redirect') return response.writeHead(302, { location: '/ok' }).end();
      response.writeHead(request.url === '/fail' ? 503 : 200).end('secret receiver internals');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const allowLocal = { timeoutMs: 2_000, allowPrivateNetworks: true };

describe('posting a delivery to a receiver', () => {
  it('sends the body and headers and reports the status', async () => {
    const outcome = await postToReceiver(`${base}/ok`, '{"a":1}', { 'candor-signature': 't=1,v1=x' }, allowLocal);
    expect(outcome).toMatchObject({ statusCode: 200, error: null });
    expect(received.at(-1)).toEqual({ body: '{"a":1}', signature: 't=1,v1=x' });
  });

  it('reports a non-2xx status and does not follow redirects', async () => {
    expect((await postToReceiver(`${base}/fail`, '{}', {}, allowLocal)).statusCode).toBe(503);
    const before = received.length;
    expect((await postToReceiver(`${base}/redirect`, '{}', {}, allowLocal)).statusCode).toBe(302);
    expect(received.length).toBe(before + 1);
  });

  it('gives up with "timeout" when no response arrives in time', async () => {
    const outcome = await postToReceiver(`${base}/slow`, '{}', {}, { timeoutMs: 200, allowPrivateNetworks: true });
    expect(outcome).toMatchObject({ statusCode: null, error: 'timeout' });
  });

  it('reports a refused connection by its code', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await postToReceiver(`http://127.0.0.1:${port}/`, '{}', {}, allowLocal)).toMatchObject({ statusCode: null, error: 'ECONNREFUSED' });
  });

  it('refuses loopback receivers, by address or by name, unless private networks are allowed', async () => {
    const before = received.length;
    const strict = { timeoutMs: 2_000, allowPrivateNetworks: false };
    expect((await postToReceiver(`${base}/ok`, '{}', {}, strict)).error).toBe('non_public_address');
    const byName = base.replace('127.0.0.1', 'localhost');
    expect((await postToReceiver(`${byName}/ok`, '{}', {}, strict)).error).toBe('non_public_address');
    expect(received.length).toBe(before);
  });
});
