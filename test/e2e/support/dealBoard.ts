import { expect } from 'vitest';
import { callApi } from './e2eServer.ts';

/*
 * A pipeline of a browser test's own, with deals it creates through the API: the board it
 * shows is the test's alone, so moving cards disturbs no other browser test file.
 */

export type BoardStage = { id: string; name: string };
export type BoardPipeline = { id: string; name: string; stages: BoardStage[] };
export type BoardDeal = { id: string; name: string; stageId: string; version: number; companyId: string | null };

async function jsonOf<T>(response: Response, status: number): Promise<T> {
  const body = (await response.json()) as { data: T };
  expect({ status: response.status, body }).toMatchObject({ status });
  return body.data;
}

/** A pipeline with the given stages (open, the last one won), created by the demo admin. */
export async function createPipeline(name: string, stageNames: string[]): Promise<BoardPipeline> {
  const stages = stageNames.map((stage, index) => ({ name: stage, probability: 10 * (index + 1), outcome: index === stageNames.length - 1 ? 'won' : 'open' }));
  return jsonOf(await callApi('admin', '/api/v1/pipelines', { method: 'POST', body: JSON.stringify({ name, stages }) }), 201);
}

/** A deal created by the demo sales user, for Sales. */
export async function createDeal(fields: Record<string, unknown>): Promise<BoardDeal> {
  return jsonOf(await callApi('sales', '/api/v1/deals', { method: 'POST', purpose: 'sales', body: JSON.stringify(fields) }), 201);
}

export async function readDeal(id: string): Promise<BoardDeal> {
  return jsonOf(await callApi('sales', `/api/v1/deals/${id}`, { purpose: 'sales' }), 200);
}

/** A change made behind the browser's back, as a colleague would: the board's copy of the deal is now stale. */
export async function renameDeal(deal: BoardDeal, name: string): Promise<BoardDeal> {
  const current = await readDeal(deal.id);
  const response = await callApi('sales', `/api/v1/deals/${deal.id}`, {
    method: 'PATCH',
    purpose: 'sales',
    headers: { 'if-match': `"${current.version}"` },
    body: JSON.stringify({ name }),
  });
  return jsonOf(response, 200);
}

/** Some company of the demo workspace, for a card to name. */
export async function someCompany(): Promise<{ id: string; name: string }> {
  const companies = await jsonOf<Array<{ id: string; name: string }>>(await callApi('sales', '/api/v1/companies?limit=1&sort=name', { purpose: 'sales' }), 200);
  return companies[0];
}
