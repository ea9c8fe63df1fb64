import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { passwordLength } from '../src/accounts/passwords.ts';
import { loadConfig } from '../src/config.ts';
import { buildOpenApiDocument } from '../src/http/openApiDocument.ts';
import { isPurposeFree } from '../src/http/purposeFreeRoutes.ts';
import { candorEnv, removeTempDataDirs, runCandor, tempDataDir } from './support/candorProcess.ts';
import { inlineSchemas, type OpenApiDocument, type OperationObject, type SchemaObject } from './support/openApiDocument.ts';

/*
 * The OpenAPI document a client generator and the web app build on (README "OpenAPI"): it
 * validates, every operation has a unique operationId and its problem responses with
 * examples, the headers handlers read are declared, shared schemas are components, and
 * request schemas state the limits the server enforces. The document is built as
 * `candor openapi` builds it, without a database; test/openapiClient.test.ts generates a
 * typed client from it.
 */

let document: OpenApiDocument;

beforeAll(async () => {
  document = (await buildOpenApiDocument(loadConfig({}, { demo: false, logLevel: 'silent' }))) as unknown as OpenApiDocument;
});
afterAll(() => removeTempDataDirs());

type Located = { method: string; path: string; operation: OperationObject };

const operations = (): Located[] =>
  Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ method, path, operation })));
const named = (operationId: string): OperationObject => {
  const found = operations().find((entry) => entry.operation.operationId === operationId);
  if (!found) throw new Error(`no operation ${operationId}`);
  return found.operation;
};
const label = ({ method, path }: Located) => `${method.toUpperCase()} ${path}`;
const headerNamed = (operation: OperationObject, name: string) =>
  operation.parameters?.find((parameter) => parameter.in === 'header' && parameter.name === name);
const isPublic = (operation: OperationObject) => Array.isArray(operation.security) && operation.security.length === 0;
const isPortalSession = (operation: OperationObject) => JSON.stringify(operation.security) === JSON.stringify([{ portalSession: [] }]);
const problemStatuses = (operation: OperationObject) => Object.keys(operation.responses).filter((status) => /^[45]/.test(status));
/** The Data Rights Protocol's routes (/v1/…): the protocol's own errors and security (src/http/routes/drp.ts). */
const isDrp = ({ path }: Located) => path.startsWith('/v1/');
const candorOperations = () => operations().filter((entry) => !isDrp(entry));

describe('the OpenAPI document', () => {
  it('validates as OpenAPI 3.0 with swagger-parser', async () => {
    expect(document.openapi).toBe('3.0.3');
    // validate() dereferences the object it is given.
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('gives every operation a unique camelCase operationId', () => {
    const all = operations();
    expect(all.length).toBeGreaterThanOrEqual(89);
    expect(all.filter((entry) => !entry.operation.operationId).map(label)).toEqual([]);
    const ids = all.map((entry) => entry.operation.operationId);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
    expect(ids.filter((id) => !/^[a-z][A-Za-z0-9]*$/.test(id ?? ''))).toEqual([]);
    expect(['listContacts', 'getContact', 'createContact', 'updateContact', 'deleteContact', 'searchContacts', 'batchContacts'].map(named)).toHaveLength(7);
  });

  it('documents the problem responses of every operation as problem+json, each with examples of its codes', () => {
    const examples = document.components?.examples ?? {};
    for (const entry of candorOperations()) {
      const { operation } = entry;
      const statuses = problemStatuses(operation);
      expect({ operation: label(entry), statuses: statuses.length > 0 }).toEqual({ operation: label(entry), statuses: true });
      for (const status of statuses) {
        const response = operation.responses[status];
        const media = response.content?.['application/problem+json'];
        expect(media?.schema).toEqual({ $ref: '#/components/schemas/Problem' });
        const refs = Object.values(media?.examples ?? {}).map((example) => example.$ref ?? '');
        expect(refs.length, `${label(entry)} ${status} examples`).toBeGreaterThan(0);
        for (const ref of refs) {
          const example = examples[ref.replace('#/components/examples/', '')];
          const value = example?.value as { status: number; code: string; type: string } | undefined;
          expect({ ref, status: value?.status, codeListed: response.description.includes(value?.code ?? '?') }).toEqual({
            ref,
            status: Number(status),
            codeListed: true,
          });
          expect(value?.type).toBe(`https://candor.dev/problems/${value?.code}`);
        }
      }
    }
  });

  it('derives the problems from what each route is: authentication, purpose, record ids, bodies, If-Match and idempotency', () => {
    for (const entry of candorOperations()) {
      const statuses = problemStatuses(entry.operation);
      const expected = [
        ...(isPublic(entry.operation) || isPortalSession(entry.operation) ? [] : ['401', '403']),
        // The privacy portal's session: 401 without it, 403 csrf_failed on a change without its token.
        ...(isPortalSession(entry.operation) ? ['401', ...(entry.method === 'get' ? [] : ['403'])] : []),
        ...(/\{(id|key)\}/.test(entry.path) ? ['404'] : []),
        ...(entry.operation.requestBody ? ['400', '413', '415', '422'] : []),
        ...(headerNamed(entry.operation, 'If-Match') ? ['412'] : []),
        ...(headerNamed(entry.operation, 'If-Match')?.required ? ['428'] : []),
        ...(headerNamed(entry.operation, 'Idempotency-Key') ? ['409', '422'] : []),
        // Every API route refuses a query parameter it does not take (src/http/knownQueryParameters.ts).
        ...(entry.path.startsWith('/api/v1/') ? ['400'] : []),
      ];
      expect({ operation: label(entry), missing: expected.filter((status) => !statuses.includes(status)) }).toEqual({ operation: label(entry), missing: [] });
    }
    expect(problemStatuses(named('logIn'))).toContain('429');
    expect(named('logIn').responses['429'].headers?.['Retry-After']).toBeDefined();
    expect(problemStatuses(named('createContact'))).toContain('409');
    expect(named('createContact').responses['409'].description).toMatch(/duplicate/);
    expect(named('searchContacts').responses['422'].description).toMatch(/result_too_large/);
    expect(named('listContacts').responses['400'].description).toMatch(/purpose_required/);
    expect(named('listPurposes').responses['400'].description).not.toMatch(/purpose_required/);
    expect(named('listPurposes').responses['400'].description).toMatch(/unknown_parameter/);
  });

  it('declares If-Match, Idempotency-Key, X-CSRF-Token and Candor-Purpose where handlers read them, and the ETag they answer with', () => {
    for (const id of [
      'updateContact',
      'updateCompany',
      'updateDeal',
      'updateActivity',
      'updatePurchase',
      'updatePipeline',
      'updateWebhook',
      'updateUser',
      'updatePurpose',
    ]) {
      expect({ id, required: headerNamed(named(id), 'If-Match')?.required }).toEqual({ id, required: true });
      expect(named(id).responses['200'].headers?.ETag, id).toBeDefined();
    }
    for (const id of ['deleteContact', 'deleteCompany', 'deleteDeal', 'deleteActivity', 'deletePurchase', 'deletePipeline', 'completeActivity']) {
      expect({ id, required: headerNamed(named(id), 'If-Match')?.required }).toEqual({ id, required: false });
    }
    const idempotent = ['createContact', 'createCompany', 'createDeal', 'createActivity', 'createPurchase', 'createPipeline', 'createWebhook', 'createApiKey'];
    for (const id of [
      ...idempotent,
      'inviteUser',
      'batchContacts',
      'batchCompanies',
      'ingestEvent',
      'ingestEventBatch',
      'createImport',
      'mergeContact',
      'mergeVisitor',
    ]) {
      expect({ id, declared: headerNamed(named(id), 'Idempotency-Key') !== undefined }).toEqual({ id, declared: true });
    }
    for (const id of ['getContact', 'getCompany', 'getDeal', 'getActivity', 'getPurchase', 'getPipeline', 'getWebhook', 'getUser']) {
      expect(named(id).responses['200'].headers?.ETag, id).toBeDefined();
    }
    expect(named('createContact').responses['201'].headers?.ETag).toBeDefined();
    for (const entry of candorOperations()) {
      const changesState = entry.method !== 'get';
      const csrf = headerNamed(entry.operation, 'X-CSRF-Token');
      expect({ operation: label(entry), csrf: csrf !== undefined }).toEqual({ operation: label(entry), csrf: changesState && !isPublic(entry.operation) });
      if (isPortalSession(entry.operation))
        expect({ operation: label(entry), required: csrf?.required === true }).toEqual({ operation: label(entry), required: changesState });
      const fastifyPath = entry.path.replace(/\{(\w+)\}/g, ':$1');
      const purpose = headerNamed(entry.operation, 'Candor-Purpose');
      expect({ operation: label(entry), purpose: purpose !== undefined }).toEqual({
        operation: label(entry),
        purpose: !isPurposeFree(entry.method.toUpperCase(), fastifyPath),
      });
    }
  });

  it('leaves the security requirement off the public operations only', () => {
    // collect, listCollectNotices: a form key in the Candor-Form-Key header (declared as a header parameter), no API key or session.
    const publicOperations = operations()
      .filter((entry) => isPublic(entry.operation))
      .map((entry) => entry.operation.operationId)
      .sort();
    expect(publicOperations).toEqual([
      'acceptInvitation',
      'collect',
      'completePasswordReset',
      'confirmConsent',
      'downloadAccessExport',
      'getConsentReceiptKeys',
      'getGpcSupport',
      'getHealth',
      'listCollectNotices',
      'logIn',
      'requestPasswordReset',
      'resendPortalVerification',
      'setUpDrpAgent',
      'showConsentConfirmation',
      'showPortalVerification',
      'showUnsubscribe',
      'startPortalSignIn',
      'submitPortalRequest',
      'unsubscribe',
      'verifyConsentReceipt',
      'verifyPortalLink',
      'verifyPortalRequest',
      'verifyPortalSignIn',
    ]);
    expect(document.security).toEqual([{ apiKey: [] }, { session: [] }]);
    // The privacy portal's signed-in routes take its own session cookie, not a staff credential.
    expect(named('readPortalSession').security).toEqual([{ portalSession: [] }]);
    expect(problemStatuses(named('getHealth'))).toEqual(['400', '422']);
    expect(named('logIn').responses['401'].description).toMatch(/unauthenticated/);
  });

  it("documents the Data Rights Protocol's routes with the protocol's errors and the agent's bearer token", () => {
    const drp = operations().filter(isDrp);
    expect(drp.map(label).sort()).toEqual([
      'DELETE /v1/data-rights-request/{id}',
      'GET /v1/agent/{id}',
      'GET /v1/data-rights-request/{id}',
      'POST /v1/agent/{id}',
      'POST /v1/data-rights-request',
    ]);
    for (const entry of drp.filter((candidate) => candidate.operation.operationId !== 'setUpDrpAgent')) {
      expect({ operation: label(entry), security: entry.operation.security }).toEqual({ operation: label(entry), security: [{ drpAgentToken: [] }] });
      for (const status of problemStatuses(entry.operation)) {
        expect(entry.operation.responses[status].content?.['application/json']?.schema, `${label(entry)} ${status}`).toEqual({
          $ref: '#/components/schemas/DrpError',
        });
      }
      expect(problemStatuses(entry.operation)).toEqual(expect.arrayContaining(['400', '401', '403', '429']));
    }
    // §2.05: a failed key setup is a bare 403.
    expect(problemStatuses(named('setUpDrpAgent'))).toEqual(['403', '429']);
    expect(named('setUpDrpAgent').responses['403'].content).toBeUndefined();
    expect(named('exerciseDataRights').requestBody?.content?.['text/plain']).toBeDefined();
  });

  it('names the shared schemas once, as components: Uuid, Problem, Withheld, the record views and their envelopes', () => {
    const schemas = document.components?.schemas ?? {};
    for (const name of ['Uuid', 'UuidInput', 'Problem', 'FieldIssue', 'Withheld', 'WithheldEntry', 'BatchResult']) expect(schemas[name], name).toBeDefined();
    for (const record of [
      'Contact',
      'Company',
      'Deal',
      'Activity',
      'Purchase',
      'Event',
      'Visitor',
      'Pipeline',
      'User',
      'ApiKey',
      'WebhookSubscription',
      'AuditEntry',
    ]) {
      expect(schemas[record], record).toBeDefined();
      expect(schemas[`${record}Envelope`] ?? schemas[`${record}Page`], `${record} envelope`).toBeDefined();
    }
    expect(schemas.ContactCountedPage.properties?.total).toBeDefined();
    expect(named('listContacts').responses['200'].content?.['application/json'].schema).toEqual({ $ref: '#/components/schemas/ContactCountedPage' });
    expect(named('createContact').requestBody?.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ContactCreateInput' });
    const uuidPattern = schemas.Uuid.pattern ?? '';
    expect(uuidPattern).not.toBe('');
    expect(JSON.stringify(document).split(JSON.stringify(uuidPattern)).length - 1, 'the UUID pattern, once per Uuid component').toBe(2);
    expect(schemas.Problem.properties?.errors).toBeDefined();
  });

  it('states the limits the server enforces: a new password of 12 to 256 characters, and a bound on every string a request sends', () => {
    for (const id of ['acceptInvitation', 'completePasswordReset']) {
      const located = operations().find((entry) => entry.operation.operationId === id);
      const password = located && findInlined(located).requestBody?.content['application/json'].schema?.properties?.password;
      expect({ id, minLength: password?.minLength, maxLength: password?.maxLength }).toEqual({
        id,
        minLength: passwordLength.min,
        maxLength: passwordLength.max,
      });
    }
    const unbounded: string[] = [];
    const visit = (schema: SchemaObject | undefined, where: string): void => {
      if (!schema) return;
      if (schema.type === 'string' && schema.maxLength === undefined && !schema.enum && !schema.format && !schema.pattern) unbounded.push(where);
      for (const [name, property] of Object.entries(schema.properties ?? {})) visit(property, `${where}.${name}`);
      visit(schema.items, `${where}[]`);
      for (const option of schema.anyOf ?? []) visit(option, where);
      if (typeof schema.additionalProperties === 'object') visit(schema.additionalProperties, `${where}.*`);
    };
    for (const entry of operations().map((located) => ({ ...located, operation: findInlined(located) }))) {
      for (const parameter of entry.operation.parameters ?? []) visit(parameter.schema, `${label(entry)} ${parameter.in}.${parameter.name}`);
      for (const [type, media] of Object.entries(entry.operation.requestBody?.content ?? {})) {
        if (type === 'application/json') visit(media.schema, `${label(entry)} body`);
      }
    }
    expect(unbounded).toEqual([]);
  });

  it('is what `candor openapi --output openapi.json` writes, without a database or a server', async () => {
    const cwd = tempDataDir('candor-openapi-');
    const run = await runCandor(['openapi', '--output', 'openapi.json'], candorEnv({ CANDOR_DATA_DIR: join(cwd, 'no-database-here') }), { cwd });
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr.trim() }).toEqual({
      code: 0,
      stdout: '',
      stderr: 'wrote the OpenAPI document to openapi.json',
    });
    expect(JSON.parse(readFileSync(join(cwd, 'openapi.json'), 'utf8'))).toEqual(document);
    expect(existsSync(join(cwd, 'no-database-here'))).toBe(false);
  });
});

let inlined: OpenApiDocument | null = null;
function findInlined({ method, path }: Located): OperationObject {
  inlined ??= inlineSchemas(document);
  return inlined.paths[path][method];
}
