import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { defaultPurposeByRole, createTestApp, type TestApp } from './support/testApp.ts';
import { startTestJobRunner, type TestJobRunner } from './support/jobs.ts';
import { testDatabaseUrl } from './support/testDatabase.ts';
import { createFuzzWorkspace, type FuzzWorkspace } from './support/fuzzWorkspace.ts';
import { bodyText, operationsOf, requestArbitrary, urlOf, type FuzzRequest, type Operation } from './support/fuzzRequests.ts';
import { ForgedCursor, forgedCursorText } from './support/forgedCursors.ts';
import { PoolRef, resolvePoolRefs } from './support/poolRefs.ts';
import { fetchOpenApiDocument, inlineSchemas } from './support/openApiDocument.ts';

/*
 * Property: no request, however malformed, gets a 5xx; and none carries a value only the
 * database refuses (problem.ts answers SQLSTATE class 22 with 422, but that means input
 * validation let the value through). Requests are generated from the app's own OpenAPI
 * document, so a new route is fuzzed without being named here, and sent in-process with
 * app.inject (never over the network) to a fresh test database.
 * CI runs a fixed seed and 1,000 requests per database; `npm run fuzz` runs 20,000 with a
 * random seed (FUZZ_RUNS, FUZZ_SEED override both). A failure prints every 5xx by cause,
 * each with one request that shows it and the seed that replays the run.
 */

const fixedSeed = 7_2024;
const runs = Number(process.env.FUZZ_RUNS ?? 1_000);
const seedSetting = process.env.FUZZ_SEED;
const seed = seedSetting === undefined || seedSetting === '' ? fixedSeed : seedSetting === 'random' ? randomInt(2 ** 31 - 1) : Number(seedSetting);
const databaseName = testDatabaseUrl ? 'PostgreSQL' : 'PGlite';
// Every so many requests the fixture records are made again: the fuzzer deletes them too.
const replenishEvery = 200;

let t: TestApp;
let runner: TestJobRunner;
let fuzz: FuzzWorkspace;
let operations: Operation[];

beforeAll(async () => {
  t = await createTestApp();
  // As under `candor serve`: background imports are queued and run.
  runner = await startTestJobRunner(t.database);
  fuzz = await createFuzzWorkspace(t);
  operations = operationsOf(inlineSchemas(await fetchOpenApiDocument(t.app)));
  await learnDefaultSorts();
});

/** Asks every list for one row without a sort parameter, to learn the sort order its cursors carry. */
async function learnDefaultSorts(): Promise<void> {
  for (const operation of operations) {
    if (operation.method !== 'GET' || !operation.parameters.some((parameter) => parameter.in === 'query' && parameter.name === 'cursor')) continue;
    const request = {
      operation,
      credential: { kind: 'key', role: 'admin' },
      purpose: 'role default',
      headers: {},
      pathParams: { id: new PoolRef(operation.resource, 0) },
      query: [['limit', 1]],
    } as unknown as FuzzRequest;
    const { response } = await send(request);
    if (response) learnDefaultSort(request, response);
  }
  expect(defaultSorts.size, 'lists whose default sort the fuzzer learnt').toBeGreaterThanOrEqual(10);
}
afterAll(async () => {
  await runner?.stop();
  await t?.close();
});

type ServerError = { cause: string; route: string; request: string };

const truncate = (text: string, length: number) => (text.length > length ? `${text.slice(0, length)}… (${text.length} chars)` : text);

/** What the app logged about a 5xx: SQLSTATE and the first frame in Candor's code, never a message. */
function causeFromLogs(lines: string[], status: number): string {
  for (const line of lines) {
    if (!line.includes('request failed')) continue;
    const entry = JSON.parse(line) as { sqlState?: string; errorName?: string; stack?: string };
    const frame = /\((?:.*\/)?(src\/[^)]+)\)/.exec(entry.stack ?? '')?.[1] ?? 'no src frame';
    return `${status} ${entry.errorName ?? 'Error'} sqlState=${entry.sqlState ?? '-'} at ${frame}`;
  }
  return `${status} (nothing logged)`;
}

function pick(ref: PoolRef): unknown {
  if (ref.pool === 'workspaces') return ref.index % 4 === 0 ? 'no-such-workspace' : fuzz.workspace.slug;
  const values = fuzz.pools.get(ref.pool) ?? [];
  return values.length === 0 ? '0190c1f0-0000-7000-8000-000000000000' : values[ref.index % values.length];
}

function credentialsHeaders(request: FuzzRequest): Record<string, string> {
  const { credential } = request;
  if (credential.kind === 'none') return {};
  if (credential.kind === 'garbage') return { authorization: credential.value };
  if (credential.kind === 'session') {
    return { cookie: `candor_session=${fuzz.session.cookie}`, ...(request.operation.method === 'GET' ? {} : { 'x-csrf-token': fuzz.session.csrfToken }) };
  }
  return { authorization: `Bearer ${fuzz.workspace.keys[credential.role]}` };
}

/** The sort order a list uses without a sort parameter, learnt from the cursors it serves. */
const defaultSorts = new Map<string, string>();

function learnDefaultSort(request: FuzzRequest, response: LightMyRequestResponse): void {
  if (request.operation.method !== 'GET' || response.statusCode !== 200 || request.query.some(([name]) => name === 'sort')) return;
  if (!response.headers['content-type']?.toString().includes('json')) return;
  const cursor = (response.json() as { nextCursor?: unknown }).nextCursor;
  if (typeof cursor !== 'string') return;
  const [sort] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
  if (typeof sort === 'string') defaultSorts.set(request.operation.path, sort);
}

/** Fills forged cursors in with the sort order the request asks for, so they get past the sort check. */
function forgeCursors(operation: Operation, query: Array<[string, unknown]>, body: unknown): void {
  const sortParameter = query.find(([name]) => name === 'sort')?.[1];
  const listSort = typeof sortParameter === 'string' ? sortParameter : (defaultSorts.get(operation.path) ?? 'createdAt');
  for (const entry of query) if (entry[0] === 'cursor' && entry[1] instanceof ForgedCursor) entry[1] = forgedCursorText(entry[1], listSort);
  if (typeof body === 'object' && body !== null && (body as { cursor?: unknown }).cursor instanceof ForgedCursor) {
    const search = body as { cursor: unknown; sort?: unknown };
    search.cursor = forgedCursorText(search.cursor as ForgedCursor, search.sort === 'name' ? 'search:name' : 'search:id');
  }
}

/** Sends a generated request with its pooled values filled in; null when it cannot be built as an HTTP request. */
async function send(request: FuzzRequest): Promise<{ response: LightMyRequestResponse | null; shown: string; pathParams: Record<string, unknown> }> {
  const pathParams = resolvePoolRefs(request.pathParams, pick) as Record<string, unknown>;
  const query = resolvePoolRefs(request.query, pick) as Array<[string, unknown]>;
  const body = request.body && { contentType: request.body.contentType, value: resolvePoolRefs(request.body.value, pick) };
  const requested = resolvePoolRefs(request.purpose, pick);
  const role = request.credential.kind === 'key' ? request.credential.role : 'admin';
  // Behavioural events are read and written for web analytics; everything else for the role's usual purpose.
  const tracking = request.operation.resource === 'visitors' || request.operation.path.includes('events');
  const purpose = requested === 'role default' ? (tracking ? 'web_analytics' : defaultPurposeByRole[role]) : requested;
  const headers: Record<string, string> = { ...credentialsHeaders(request), ...request.headers };
  if (headers['if-match'] === 'current') headers['if-match'] = `"${fuzz.versions.get(String(pathParams.id ?? pathParams.key)) ?? 1}"`;
  if (typeof purpose === 'string') headers['candor-purpose'] = purpose;
  if (body) headers['content-type'] = body.contentType;
  forgeCursors(request.operation, query, body?.value);
  const url = urlOf({ operation: request.operation, pathParams, query });
  const payload = body && bodyText(body);
  const who = request.credential.kind === 'key' ? `${request.credential.role} key` : request.credential.kind;
  const shown = `${request.operation.method} ${truncate(url, 400)} as ${who}, purpose ${JSON.stringify(purpose ?? null)}, headers ${JSON.stringify(request.headers)}, body ${payload === undefined ? '(none)' : truncate(JSON.stringify(payload), 600)}`;
  try {
    return {
      response: await t.app.inject({ method: request.operation.method, url, headers, ...(payload === undefined ? {} : { payload }) }),
      shown,
      pathParams,
    };
  } catch (error) {
    // light-my-request refuses to build some requests (e.g. control characters in a header); no server would see them.
    if (error instanceof TypeError && /header/i.test(error.message)) return { response: null, shown, pathParams };
    throw error;
  }
}

describe('API fuzzing from the OpenAPI document', () => {
  it(
    `answers ${runs} generated requests on ${databaseName} without a single 5xx`,
    async () => {
      expect(operations.length).toBeGreaterThan(70);
      const started = performance.now();
      const statuses = new Map<string, number>();
      const errors: ServerError[] = [];
      let unsendable = 0;
      let sent = 0;
      const databaseRefusals = new Map<string, string>();
      // Answers whose status the operation does not document, by operation, status and code.
      const undocumented = new Map<string, string>();
      // FUZZ_DEBUG=1 prints how often each operation got each answer: where the generated requests get to.
      const outcomes = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(requestArbitrary(operations), async (request) => {
          sent += 1;
          if (sent % replenishEvery === 0) await fuzz.replenish();
          const logsBefore = t.logs.length;
          const { response, shown, pathParams } = await send(request);
          if (!response) {
            unsendable += 1;
            return;
          }
          const family = `${Math.floor(response.statusCode / 100)}xx`;
          statuses.set(family, (statuses.get(family) ?? 0) + 1);
          if (process.env.FUZZ_DEBUG) {
            const problem = response.statusCode >= 400 ? (response.json() as { code?: string; errors?: Array<{ field: string; reason: string }> }) : null;
            const code = problem ? ` ${problem.code} ${problem.errors?.[0]?.field ?? ''}: ${problem.errors?.[0]?.reason ?? ''}` : '';
            const key = `${request.operation.method} ${request.operation.path} ${response.statusCode}${code}`;
            outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
          }
          // 422s the database gave (problem.ts maps SQLSTATE class 22): input validation let a value through.
          for (const line of t.logs.slice(logsBefore)) {
            if (!line.includes('request refused by the database')) continue;
            const entry = JSON.parse(line) as { sqlState?: string; stack?: string };
            const frame = /\((?:.*\/)?(src\/[^)]+)\)/.exec(entry.stack ?? '')?.[1] ?? 'no src frame';
            const key = `sqlState=${entry.sqlState} at ${frame} on ${request.operation.method} ${request.operation.path}`;
            if (!databaseRefusals.has(key)) databaseRefusals.set(key, shown);
          }
          // A failed DRP key setup is a bare 403 (no body), as the protocol asks.
          const problemCode = response.statusCode >= 400 && response.body !== '' ? (response.json() as { code?: string }).code : undefined;
          // A path parameter generated empty, with a slash or too long names no route: the router's answer, not the operation's.
          const routed = !['route_not_found', 'uri_too_long', 'bad_url'].includes(problemCode ?? '');
          if (routed && response.statusCode < 500 && !request.operation.documentedStatuses.includes(String(response.statusCode))) {
            const key = `${request.operation.method} ${request.operation.path} ${response.statusCode} ${problemCode ?? ''}`;
            if (!undocumented.has(key)) undocumented.set(key, shown);
          }
          if (response.statusCode >= 500)
            errors.push({
              cause: causeFromLogs(t.logs.slice(logsBefore), response.statusCode),
              route: `${request.operation.method} ${request.operation.path}`,
              request: shown,
            });
          fuzz.learn(request.operation.resource, request.operation.path, request.operation.method, response);
          learnDefaultSort(request, response);
          if (request.operation.method === 'DELETE' && response.statusCode === 204 && typeof pathParams.id === 'string')
            fuzz.forget(request.operation.resource, pathParams.id);
          if (request.operation.path === '/api/v1/auth/logout' && request.credential.kind === 'session' && response.statusCode === 204)
            await fuzz.renewSession();
        }),
        // No shrinking: requests change the database, so a shrunk replay would not see the same state.
        { seed, numRuns: runs, endOnFailure: true },
      );
      const seconds = (performance.now() - started) / 1000;
      const causes = new Map<string, ServerError[]>();
      for (const error of errors) causes.set(error.cause, [...(causes.get(error.cause) ?? []), error]);
      console.log(
        `[api fuzz] ${databaseName}: seed=${seed} requests=${runs} operations=${operations.length} seconds=${seconds.toFixed(1)} ` +
          `statuses=${JSON.stringify(Object.fromEntries([...statuses].sort()))} unsendable=${unsendable} 5xx=${errors.length} causes=${causes.size} database-refusals=${databaseRefusals.size}`,
      );
      if (process.env.FUZZ_DEBUG)
        console.log(
          [...outcomes]
            .sort()
            .map(([key, count]) => `${String(count).padStart(5)} ${key}`)
            .join('\n'),
        );
      const report = [...causes].map(
        ([cause, examples]) =>
          `${examples.length}× ${cause} on ${[...new Set(examples.map((example) => example.route))].join(', ')}\n    e.g. ${examples[0].request}`,
      );
      const replay = `replay: FUZZ_SEED=${seed} FUZZ_RUNS=${runs} npx vitest run test/apiFuzz.test.ts`;
      expect(report, `5xx answers (${replay})`).toEqual([]);
      // Not a 5xx (problem.ts answers SQLSTATE class 22 with 422), but a value validation should have refused first.
      const refusals = [...databaseRefusals].map(([key, example]) => `${key}\n    e.g. ${example}`);
      expect(refusals, `values only the database refused (${replay})`).toEqual([]);
      // The OpenAPI document lists every status an operation answers with (src/http/openapi/problemResponses.ts).
      const undocumentedAnswers = [...undocumented].map(([key, example]) => `${key}\n    e.g. ${example}`);
      expect(undocumentedAnswers, `answers the OpenAPI document does not list (${replay})`).toEqual([]);
    },
    120_000 + runs * 300,
  );
});
