import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, openPage, type RecordedPage } from './support/browser.ts';
import { type BoardDeal, type BoardPipeline, createDeal, createPipeline, readDeal, renameDeal, someCompany } from './support/dealBoard.ts';
import { callApi, e2eServer } from './support/e2eServer.ts';
import { expectCandorOnly } from './support/pageRules.ts';
import { checkScreen } from './support/screenshots.ts';
import { signIn } from './support/signIn.ts';

// The deals board for a sales user, on a pipeline and deals this file creates (so the demo
// records other browser tests read stay as they are): moves by mouse and by keyboard alone,
// the totals, the paging of a long column, and a move refused because of a concurrent change.

let browser: Browser;
let sales: RecordedPage;
let pipeline: BoardPipeline;
let company: { id: string; name: string };
const deals: Record<string, BoardDeal> = {};
const backlogDeals = 27;

beforeAll(async () => {
  const run = Date.now().toString(36);
  pipeline = await createPipeline(`Board test ${run}`, ['Qualify', 'Propose', 'Negotiate', 'Backlog', 'Won']);
  const [qualify, propose, , backlog] = pipeline.stages;
  company = await someCompany();
  const base = { pipelineId: pipeline.id };
  deals.orchard = await createDeal({
    ...base,
    stageId: qualify.id,
    name: 'Orchard renewal',
    amountMinor: 1_200,
    currency: 'EUR',
    companyId: company.id,
    expectedCloseDate: '2027-03-31',
  });
  deals.harbor = await createDeal({ ...base, stageId: qualify.id, name: 'Harbor expansion', amountMinor: 500, currency: 'EUR' });
  deals.lantern = await createDeal({ ...base, stageId: propose.id, name: 'Lantern pilot', amountMinor: 300, currency: 'GBP' });
  for (let index = 1; index <= backlogDeals; index += 1) {
    await createDeal({ ...base, stageId: backlog.id, name: `Backlog lead ${index}`, amountMinor: 100, currency: 'EUR' });
  }
  browser = await openBrowser();
  sales = await openPage(browser);
  await signIn(sales.page, 'sales');
});
afterAll(() => browser?.close());

const column = (stage: string) => sales.page.getByRole('region', { name: stage, exact: true });
const figures = (stage: string) => column(stage).locator('.stage-figures');
const card = (name: string) => sales.page.locator('li.deal-card', { hasText: name });
const stageId = (name: string) => pipeline.stages.find((stage) => stage.name === name)?.id;
const liveRegion = () => sales.page.locator('[id^="DndLiveRegion"]');

async function openBoard(): Promise<void> {
  await sales.page.goto(`${e2eServer().url}/deals?pipeline=${pipeline.id}`);
  await card('Orchard renewal').waitFor();
}

/** Where a locator's box is centred on screen. */
async function centreOf(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not on screen');
  return { x: box.x + box.width / 2, y: box.y + Math.min(box.height / 2, 120) };
}

const patchOf = (dealId: string) =>
  sales.page.waitForResponse((response) => response.request().method() === 'PATCH' && new URL(response.url()).pathname === `/api/v1/deals/${dealId}`);

describe('the deals board', () => {
  it("shows the pipeline's stages in order, each with its deals and its totals", async () => {
    await openBoard();
    const headings = await sales.page.locator('.stage-header h2').allTextContents();
    expect(headings).toEqual(['Qualify', 'Propose', 'Negotiate', 'Backlog', 'Won']);
    expect(await figures('Qualify').textContent()).toBe('2 deals · €17.00');
    expect(await figures('Propose').textContent()).toBe('1 deal · £3.00');
    expect(await figures('Negotiate').textContent()).toBe('0 deals');
    const orchard = card('Orchard renewal');
    expect(await orchard.textContent()).toContain('€12.00');
    await orchard.getByRole('link', { name: company.name }).waitFor();
    expect(await orchard.textContent()).toContain('Closes 31 Mar 2027');
    await checkScreen(sales.page, 'kanban');
  });

  it('pages a long column: the first page of cards, then the rest on request', async () => {
    expect(await figures('Backlog').textContent()).toBe(`${backlogDeals} deals · €${backlogDeals}.00`);
    expect(await column('Backlog').locator('li.deal-card').count()).toBe(25);
    await column('Backlog')
      .getByRole('button', { name: `Show more deals in Backlog (${backlogDeals - 25} more)` })
      .click();
    await expect.poll(() => column('Backlog').locator('li.deal-card').count()).toBe(backlogDeals);
    expect(
      await column('Backlog')
        .getByRole('button', { name: /Show more/ })
        .count(),
    ).toBe(0);
  });

  it('moves a deal to another stage by dragging it with the mouse, updating the totals and saving the move', async () => {
    const { page } = sales;
    await openBoard();
    const from = await centreOf(card('Orchard renewal').getByRole('heading', { name: 'Orchard renewal' }));
    const to = await centreOf(column('Propose'));
    const saved = patchOf(deals.orchard.id);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + 20, from.y, { steps: 4 });
    await page.mouse.move(to.x, to.y, { steps: 12 });
    await expect.poll(() => liveRegion().textContent()).toBe('Orchard renewal is over Propose.');
    await page.mouse.up();
    const response = await saved;
    expect(response.status()).toBe(200);
    expect(response.request().headers()['if-match']).toBe(`"${deals.orchard.version}"`);
    await column('Propose').locator('li.deal-card', { hasText: 'Orchard renewal' }).waitFor();
    await expect.poll(() => figures('Propose').textContent()).toBe('2 deals · €12.00 · £3.00');
    expect(await figures('Qualify').textContent()).toBe('1 deal · €5.00');
    expect((await readDeal(deals.orchard.id)).stageId).toBe(stageId('Propose'));
  });

  it('moves a deal by keyboard alone: space picks it up, the arrows choose the stage, space drops it, each step announced', async () => {
    const { page } = sales;
    await card('Harbor expansion').getByRole('button', { name: 'Move Harbor expansion' }).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => liveRegion().textContent()).toBe('Picked up Harbor expansion in Qualify.');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => liveRegion().textContent()).toBe('Harbor expansion is over Propose.');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => liveRegion().textContent()).toBe('Harbor expansion is over Negotiate.');
    const saved = patchOf(deals.harbor.id);
    await page.keyboard.press('Space');
    expect((await saved).status()).toBe(200);
    await expect.poll(() => liveRegion().textContent()).toBe('Harbor expansion moved to Negotiate.');
    await expect.poll(() => figures('Negotiate').textContent()).toBe('1 deal · €5.00');
    expect(await figures('Qualify').textContent()).toBe('0 deals');

    // Persisted: a fresh load of the board shows it where it was dropped.
    await openBoard();
    await column('Negotiate').locator('li.deal-card', { hasText: 'Harbor expansion' }).waitFor();
    expect((await readDeal(deals.harbor.id)).stageId).toBe(stageId('Negotiate'));
  });

  it('puts a picked-up card back when the user presses escape, without asking the server', async () => {
    const { page } = sales;
    const patches = sales.requests.filter((request) => request.method === 'PATCH').length;
    await card('Lantern pilot').getByRole('button', { name: 'Move Lantern pilot' }).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => liveRegion().textContent()).toBe('Picked up Lantern pilot in Propose.');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => liveRegion().textContent()).toBe('Lantern pilot is over Qualify.');
    await page.keyboard.press('Escape');
    await expect.poll(() => liveRegion().textContent()).toBe('Move cancelled: Lantern pilot stays in Propose.');
    await column('Propose').locator('li.deal-card', { hasText: 'Lantern pilot' }).waitFor();
    expect(sales.requests.filter((request) => request.method === 'PATCH').length).toBe(patches);
  });

  it('reaches every action of the board by keyboard alone, in reading order', async () => {
    const { page } = sales;
    await openBoard();
    await page.getByRole('link', { name: 'Deals' }).focus();
    const reached: string[] = [];
    for (let press = 0; press < 80; press += 1) {
      await page.keyboard.press('Tab');
      // Given as text: it runs in the page, whose DOM this Node project has no types for.
      const name = (await page.evaluate(`(() => {
        const element = document.activeElement;
        return element ? element.tagName.toLowerCase() + ':' + (element.getAttribute('aria-label') ?? element.textContent?.trim() ?? '') : '';
      })()`)) as string;
      if (reached.includes(name)) break;
      reached.push(name);
    }
    const pipelinePicker = reached.findIndex((name) => name.startsWith('button:') && name.includes(pipeline.name));
    const moves = ['Orchard renewal', 'Lantern pilot', 'Harbor expansion', 'Backlog lead 27'].map((deal) => reached.indexOf(`button:Move ${deal}`));
    const companyLink = reached.indexOf(`a:${company.name}`);
    const showMore = reached.findIndex((name) => name.startsWith('button:Show more deals in Backlog'));
    expect({ pipelinePicker, moves, companyLink, showMore }).toEqual({
      pipelinePicker: expect.any(Number),
      moves: [expect.any(Number), expect.any(Number), expect.any(Number), expect.any(Number)],
      companyLink: expect.any(Number),
      showMore: expect.any(Number),
    });
    expect(Math.min(pipelinePicker, ...moves, companyLink, showMore)).toBeGreaterThanOrEqual(0);
    // The picker comes first, then the columns left to right; a card's link follows its handle.
    expect(pipelinePicker).toBeLessThan(moves[0]);
    expect(moves[0]).toBeLessThan(companyLink);
    expect(moves[1]).toBeLessThan(moves[2]);
    expect(moves[2]).toBeLessThan(moves[3]);

    // The pipeline is chosen by keyboard too: the default pipeline's board, then this one again.
    await page.getByRole('button', { name: new RegExp(pipeline.name) }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('listbox').waitFor();
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('pipeline')).not.toBe(pipeline.id);
    await page.locator('.stage-header').first().waitFor();
    await checkScreen(page, 'kanban-default-pipeline');
  });

  it('reloads the board and says so when the deal changed since it was shown (412), leaving the deal where it was', async () => {
    const { page } = sales;
    await openBoard();
    await renameDeal(deals.lantern, 'Lantern pilot (renamed)');
    await card('Lantern pilot').getByRole('button', { name: 'Move Lantern pilot' }).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => liveRegion().textContent()).toBe('Picked up Lantern pilot in Propose.');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => liveRegion().textContent()).toBe('Lantern pilot is over Negotiate.');
    const refused = patchOf(deals.lantern.id);
    await page.keyboard.press('Space');
    expect((await refused).status()).toBe(412);
    await page.getByRole('alert').filter({ hasText: 'Lantern pilot was changed by someone else' }).waitFor();
    await column('Propose').locator('li.deal-card', { hasText: 'Lantern pilot (renamed)' }).waitFor();
    expect(await figures('Propose').textContent()).toBe('2 deals · €12.00 · £3.00');
    expect(await figures('Negotiate').textContent()).toBe('1 deal · €5.00');
    expect((await readDeal(deals.lantern.id)).stageId).toBe(stageId('Propose'));
    await checkScreen(page, 'kanban-conflict');
  });

  it('puts the card and the totals back, with the reason, when the server refuses a move for another cause', async () => {
    const { page } = sales;
    const willow = await createDeal({ pipelineId: pipeline.id, stageId: stageId('Qualify'), name: 'Willow trial', amountMinor: 900, currency: 'EUR' });
    await openBoard();
    await card('Willow trial').waitFor();
    expect(await figures('Qualify').textContent()).toBe('1 deal · €9.00');
    // Deleted behind the board's back: the move can only be refused (404).
    expect((await callApi('sales', `/api/v1/deals/${willow.id}`, { method: 'DELETE', purpose: 'sales' })).status).toBe(204);
    await card('Willow trial').getByRole('button', { name: 'Move Willow trial' }).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => liveRegion().textContent()).toBe('Picked up Willow trial in Qualify.');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => liveRegion().textContent()).toBe('Willow trial is over Propose.');
    const refused = patchOf(willow.id);
    await page.keyboard.press('Space');
    expect((await refused).status()).toBe(404);
    const notice = page.getByRole('alert').filter({ hasText: 'Willow trial could not be moved; it is back where it was' });
    await notice.waitFor();
    expect(await notice.textContent()).toContain('No deal with that id in this workspace.');
    await column('Qualify').locator('li.deal-card', { hasText: 'Willow trial' }).waitFor();
    expect(await figures('Qualify').textContent()).toBe('1 deal · €9.00');
    expect(await figures('Propose').textContent()).toBe('2 deals · €12.00 · £3.00');
  });

  it('asked nothing of another origin, came with the strict CSP, and broke none of its rules', () => {
    expectCandorOnly(sales, e2eServer().url);
    // The totals are asked for only once the pipeline is known.
    const totalsReads = sales.requests.filter((request) => new URL(request.url).pathname === '/api/v1/deals/stage-totals');
    expect(totalsReads.filter((request) => !new URL(request.url).searchParams.get('pipelineId'))).toEqual([]);
  });
});
