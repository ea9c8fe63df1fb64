import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

// GET /deals/stage-totals: the counts and sums per currency a board shows over its columns.

let t: TestApp;
let workspace: TestWorkspace;
let other: TestWorkspace;

type Pipeline = { id: string; stages: Array<{ id: string; name: string }> };
let board: Pipeline;

async function newPipeline(ws: TestWorkspace, name: string): Promise<Pipeline> {
  const response = await t.request(ws.keys.admin, {
    method: 'POST',
    url: '/api/v1/pipelines',
    payload: {
      name,
      stages: [
        { name: 'Lead', probability: 10, outcome: 'open' },
        { name: 'Offer', probability: 50, outcome: 'open' },
        { name: 'Won', probability: 100, outcome: 'won' },
      ],
    },
  });
  expect(response.statusCode).toBe(201);
  return response.json().data;
}

async function addDeal(ws: TestWorkspace, pipeline: Pipeline, stage: number, amount?: { amountMinor: number; currency: string }) {
  const response = await t.request(ws.keys.sales, {
    method: 'POST',
    url: '/api/v1/deals',
    payload: { name: 'Deal', pipelineId: pipeline.id, stageId: pipeline.stages[stage].id, ...amount },
  });
  expect(response.statusCode).toBe(201);
}

const totalsOf = (key: string, pipelineId: string) => t.request(key, { method: 'GET', url: `/api/v1/deals/stage-totals?pipelineId=${pipelineId}` });

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  other = await t.createWorkspace();
  board = await newPipeline(workspace, 'Board');
  await addDeal(workspace, board, 0, { amountMinor: 1_000, currency: 'EUR' });
  await addDeal(workspace, board, 0, { amountMinor: 2_500, currency: 'EUR' });
  await addDeal(workspace, board, 0, { amountMinor: 700, currency: 'USD' });
  await addDeal(workspace, board, 0);
  await addDeal(workspace, board, 2, { amountMinor: 9_900, currency: 'EUR' });
  // Deals of another pipeline and another workspace are not counted.
  await addDeal(workspace, await newPipeline(workspace, 'Elsewhere'), 0, { amountMinor: 5, currency: 'EUR' });
  await addDeal(other, await newPipeline(other, 'Board'), 0, { amountMinor: 5, currency: 'EUR' });
});
afterAll(() => t.close());

describe('deal stage totals', () => {
  it("counts each stage's deals and sums their amounts per currency, leaving out stages without deals", async () => {
    const response = await totalsOf(workspace.keys.sales, board.id);
    expect(response.statusCode).toBe(200);
    const totals = response.json().data as Array<{ stageId: string }>;
    expect(totals.sort((a, b) => board.stages.findIndex((s) => s.id === a.stageId) - board.stages.findIndex((s) => s.id === b.stageId))).toEqual([
      {
        stageId: board.stages[0].id,
        count: 4,
        amounts: [
          { currency: 'EUR', amountMinor: 3_500 },
          { currency: 'USD', amountMinor: 700 },
        ],
      },
      { stageId: board.stages[2].id, count: 1, amounts: [{ currency: 'EUR', amountMinor: 9_900 }] },
    ]);
  });

  it('follows a move from one stage to another', async () => {
    const listed = await t.request(workspace.keys.sales, { method: 'GET', url: `/api/v1/deals?pipelineId=${board.id}&stageId=${board.stages[2].id}` });
    const [deal] = listed.json().data;
    const moved = await t.request(workspace.keys.sales, {
      method: 'PATCH',
      url: `/api/v1/deals/${deal.id}`,
      payload: { stageId: board.stages[1].id },
      headers: { 'if-match': `"${deal.version}"` },
    });
    expect(moved.statusCode).toBe(200);
    const totals = (await totalsOf(workspace.keys.sales, board.id)).json().data as Array<{ stageId: string; count: number }>;
    expect(totals.find((total) => total.stageId === board.stages[1].id)).toEqual({
      stageId: board.stages[1].id,
      count: 1,
      amounts: [{ currency: 'EUR', amountMinor: 9_900 }],
    });
    expect(totals.find((total) => total.stageId === board.stages[2].id)).toBeUndefined();
  });

  it("answers nothing for another workspace's pipeline, and refuses a role that may not read deals", async () => {
    expect((await totalsOf(other.keys.sales, board.id)).json()).toEqual({ data: [] });
    expect((await totalsOf(workspace.keys.analyst, board.id)).statusCode).toBe(403);
  });

  it('names pipelineId when it is missing', async () => {
    const response = await t.request(workspace.keys.sales, { method: 'GET', url: '/api/v1/deals/stage-totals' });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors[0].field).toContain('pipelineId');
  });
});
