import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';
import { firstErrorField } from './support/salesRecords.ts';

let t: TestApp;
let workspace: TestWorkspace;
let other: TestWorkspace;

type Stage = { id: string; name: string; position: number; probability: number; outcome: string };
type Pipeline = { id: string; name: string; isDefault: boolean; stages: Stage[]; version: number };

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  other = await t.createWorkspace();
});
afterAll(() => t.close());

const admin = () => workspace.keys.admin;
let nameCounter = 0;
const stages = [
  { name: 'Lead', probability: 10, outcome: 'open' },
  { name: 'Offer', probability: 50, outcome: 'open' },
  { name: 'Won', probability: 100, outcome: 'won' },
];

async function createPipeline(extra: Record<string, unknown> = {}): Promise<Pipeline> {
  nameCounter += 1;
  const response = await t.request(admin(), { method: 'POST', url: '/api/v1/pipelines', payload: { name: `Pipeline ${nameCounter}`, stages, ...extra } });
  if (response.statusCode !== 201) console.log(response.body, t.logs.filter((line) => line.includes('"level":50')).slice(-2));
  expect(response.statusCode).toBe(201);
  return response.json().data;
}

async function patchPipeline(pipeline: Pipeline, payload: Record<string, unknown>, key = admin()) {
  return t.request(key, { method: 'PATCH', url: `/api/v1/pipelines/${pipeline.id}`, payload, headers: { 'if-match': `"${pipeline.version}"` } });
}

async function listPipelines(key = admin()): Promise<Pipeline[]> {
  const response = await t.request(key, { method: 'GET', url: '/api/v1/pipelines' });
  expect(response.statusCode).toBe(200);
  return response.json().data;
}

async function createDealIn(pipeline: Pipeline, stageId: string): Promise<void> {
  const response = await t.request(workspace.keys.sales, { method: 'POST', url: '/api/v1/deals', payload: { name: 'Deal', pipelineId: pipeline.id, stageId } });
  expect(response.statusCode).toBe(201);
}

describe('pipelines', () => {
  it('gives a new workspace exactly one default pipeline with ordered stages', async () => {
    const pipelines = await listPipelines();
    expect(pipelines.filter((pipeline) => pipeline.isDefault)).toHaveLength(1);
    const [defaultPipeline] = pipelines;
    expect(defaultPipeline.isDefault).toBe(true);
    expect(defaultPipeline.stages.map((stage) => stage.position)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(defaultPipeline.stages.map((stage) => stage.outcome)).toEqual(['open', 'open', 'open', 'open', 'won', 'lost']);
  });

  it('creates a pipeline whose stages keep the order they were sent in, and reads it back with an ETag', async () => {
    const created = await createPipeline();
    expect(created.isDefault).toBe(false);
    expect(created.stages.map((stage) => [stage.name, stage.position, stage.probability, stage.outcome])).toEqual([
      ['Lead', 0, 10, 'open'],
      ['Offer', 1, 50, 'open'],
      ['Won', 2, 100, 'won'],
    ]);
    const response = await t.request(admin(), { method: 'GET', url: `/api/v1/pipelines/${created.id}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"1"');
    expect(response.json()).toEqual({ data: created, withheld: [] });
  });

  it('reorders, renames, adds and removes stages when the array is sent again', async () => {
    const pipeline = await createPipeline();
    const [lead, offer] = pipeline.stages;
    const response = await patchPipeline(pipeline, {
      stages: [
        { id: offer.id, name: 'Proposal', probability: 60, outcome: 'open' },
        { id: lead.id, name: 'Lead', probability: 5, outcome: 'open' },
        { name: 'Lost', probability: 0, outcome: 'lost' },
      ],
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"2"');
    const updated: Pipeline = response.json().data;
    expect(updated.stages.map((stage) => [stage.id, stage.name, stage.position])).toEqual([
      [offer.id, 'Proposal', 0],
      [lead.id, 'Lead', 1],
      [expect.any(String), 'Lost', 2],
    ]);
  });

  it('refuses to remove a stage that deals still use, with 409 naming the stage', async () => {
    const pipeline = await createPipeline();
    const [lead, offer, won] = pipeline.stages;
    await createDealIn(pipeline, offer.id);
    const response = await patchPipeline(pipeline, {
      stages: [
        { id: lead.id, name: 'Lead', probability: 10, outcome: 'open' },
        { id: won.id, name: 'Won', probability: 100, outcome: 'won' },
      ],
    });
    expect(response.statusCode).toBe(409);
    const problem = response.json();
    expect(problem.detail).toContain('"Offer"');
    expect(problem.stageId).toBe(offer.id);
    expect(problem.stageName).toBe('Offer');
    expect(firstErrorField(problem)).toBe('stages');
    const unchanged = await t.request(admin(), { method: 'GET', url: `/api/v1/pipelines/${pipeline.id}` });
    expect(unchanged.json().data.stages).toHaveLength(3);
  });

  it('refuses to turn a stage that deals use into a won or lost stage', async () => {
    const pipeline = await createPipeline();
    const [lead, offer, won] = pipeline.stages;
    await createDealIn(pipeline, lead.id);
    const response = await patchPipeline(pipeline, {
      stages: [
        { id: lead.id, name: 'Lead', probability: 100, outcome: 'won' },
        { id: offer.id, name: 'Offer', probability: 50, outcome: 'open' },
        { id: won.id, name: 'Won', probability: 100, outcome: 'won' },
      ],
    });
    expect(response.statusCode).toBe(409);
    expect(firstErrorField(response.json())).toBe('stages.0.outcome');
  });

  it('names the field of each invalid stage array', async () => {
    const cases: Array<[unknown, number, string]> = [
      [[{ name: 'A', probability: 101, outcome: 'open' }], 422, 'stages.0.probability'],
      [[{ name: 'A', probability: 10, outcome: 'maybe' }], 422, 'stages.0.outcome'],
      [[], 422, 'stages'],
      [
        [
          { name: 'A', probability: 10, outcome: 'open' },
          { name: ' a ', probability: 20, outcome: 'open' },
        ],
        422,
        'stages.1.name',
      ],
      [[{ id: '0190a0a0-0000-7000-8000-000000000001', name: 'A', probability: 10, outcome: 'open' }], 422, 'stages.0.id'],
    ];
    for (const [stageArray, status, field] of cases) {
      const response = await t.request(admin(), { method: 'POST', url: '/api/v1/pipelines', payload: { name: `Invalid ${field}`, stages: stageArray } });
      expect({ field, status: response.statusCode, named: firstErrorField(response.json()) }).toEqual({ field, status, named: field });
    }
  });

  it('refuses a second pipeline with the same name, naming the field', async () => {
    const pipeline = await createPipeline();
    const response = await t.request(admin(), { method: 'POST', url: '/api/v1/pipelines', payload: { name: pipeline.name.toUpperCase(), stages } });
    expect(response.statusCode).toBe(409);
    expect(firstErrorField(response.json())).toBe('name');
  });

  it('keeps exactly one default pipeline when another becomes the default', async () => {
    const pipeline = await createPipeline();
    const response = await patchPipeline(pipeline, { isDefault: true });
    expect(response.statusCode).toBe(200);
    const pipelines = await listPipelines();
    expect(pipelines.filter((candidate) => candidate.isDefault).map((candidate) => candidate.id)).toEqual([pipeline.id]);
    const unset = await patchPipeline(response.json().data, { isDefault: false });
    expect(unset.statusCode).toBe(422);
    expect(firstErrorField(unset.json())).toBe('isDefault');
    const created = await createPipeline({ isDefault: true });
    expect((await listPipelines()).filter((candidate) => candidate.isDefault).map((candidate) => candidate.id)).toEqual([created.id]);
  });

  it('deletes an unused pipeline for good but not the default one or one with deals', async () => {
    const unused = await createPipeline();
    const deleted = await t.request(admin(), { method: 'DELETE', url: `/api/v1/pipelines/${unused.id}` });
    expect(deleted.statusCode).toBe(204);
    expect((await t.request(admin(), { method: 'GET', url: `/api/v1/pipelines/${unused.id}` })).statusCode).toBe(404);

    const withDeals = await createPipeline();
    await createDealIn(withDeals, withDeals.stages[0].id);
    expect((await t.request(admin(), { method: 'DELETE', url: `/api/v1/pipelines/${withDeals.id}` })).statusCode).toBe(409);

    const defaultPipeline = (await listPipelines())[0];
    const refused = await t.request(admin(), { method: 'DELETE', url: `/api/v1/pipelines/${defaultPipeline.id}` });
    expect(refused.statusCode).toBe(409);
    expect(firstErrorField(refused.json())).toBe('isDefault');
  });

  it('needs If-Match to change a pipeline and refuses a stale one with 412', async () => {
    const pipeline = await createPipeline();
    const missing = await t.request(admin(), { method: 'PATCH', url: `/api/v1/pipelines/${pipeline.id}`, payload: { name: 'Renamed' } });
    expect(missing.statusCode).toBe(428);
    expect((await patchPipeline(pipeline, { name: `${pipeline.name} renamed` })).statusCode).toBe(200);
    const stale = await patchPipeline(pipeline, { name: `${pipeline.name} again` });
    expect(stale.statusCode).toBe(412);
    expect(stale.json().currentEtag).toBe('"2"');
  });

  it('replays a create with the same Idempotency-Key instead of making a second pipeline', async () => {
    const payload = { name: 'Idempotent pipeline', stages };
    const headers = { 'idempotency-key': 'pipeline-create-1' };
    const first = await t.request(admin(), { method: 'POST', url: '/api/v1/pipelines', payload, headers });
    const second = await t.request(admin(), { method: 'POST', url: '/api/v1/pipelines', payload, headers });
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(second.json().data.id).toBe(first.json().data.id);
    expect((await listPipelines()).filter((pipeline) => pipeline.name === 'Idempotent pipeline')).toHaveLength(1);
  });

  it('lets every role read pipelines but only admins change them', async () => {
    for (const role of ['privacy_officer', 'sales', 'support', 'marketing', 'analyst'] as const) {
      expect((await t.request(workspace.keys[role], { method: 'GET', url: '/api/v1/pipelines' })).statusCode).toBe(200);
      const write = await t.request(workspace.keys[role], { method: 'POST', url: '/api/v1/pipelines', payload: { name: `By ${role}`, stages } });
      expect({ role, status: write.statusCode }).toEqual({ role, status: 403 });
    }
    const pipeline = await createPipeline();
    expect((await patchPipeline(pipeline, { name: 'By sales' }, workspace.keys.sales)).statusCode).toBe(403);
    expect((await t.request(workspace.keys.sales, { method: 'DELETE', url: `/api/v1/pipelines/${pipeline.id}` })).statusCode).toBe(403);
  });

  it("answers 404 for another workspace's pipeline and never lists it", async () => {
    const pipeline = await createPipeline();
    const key = other.keys.admin;
    expect((await t.request(key, { method: 'GET', url: `/api/v1/pipelines/${pipeline.id}` })).statusCode).toBe(404);
    expect((await patchPipeline(pipeline, { name: 'Taken over' }, key)).statusCode).toBe(404);
    expect((await t.request(key, { method: 'DELETE', url: `/api/v1/pipelines/${pipeline.id}` })).statusCode).toBe(404);
    expect((await listPipelines(key)).map((candidate) => candidate.id)).not.toContain(pipeline.id);
    expect((await t.request(key, { method: 'GET', url: '/api/v1/pipelines/not-a-uuid' })).statusCode).toBe(422);
  });
});
