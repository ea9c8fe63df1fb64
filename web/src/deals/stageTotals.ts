import type { Deal, DealStageTotal } from '../api/types.ts';

/** A stage's column header figures: how many deals and the sum per currency. Stages without deals have none. */
export type StageFigures = { count: number; amounts: Array<{ currency: string; amountMinor: number }> };

const noDeals: StageFigures = { count: 0, amounts: [] };

export function figuresOf(totals: DealStageTotal[], stageId: string): StageFigures {
  return totals.find((total) => total.stageId === stageId) ?? noDeals;
}

function withDeal(total: DealStageTotal, deal: Deal, sign: 1 | -1): DealStageTotal {
  const amounts = total.amounts.map((amount) => ({ ...amount }));
  if (deal.amountMinor !== null && deal.currency !== null) {
    const entry = amounts.find((amount) => amount.currency === deal.currency);
    if (entry) entry.amountMinor += sign * deal.amountMinor;
    else amounts.push({ currency: deal.currency, amountMinor: sign * deal.amountMinor });
  }
  return {
    ...total,
    count: total.count + sign,
    amounts: amounts.filter((amount) => amount.amountMinor !== 0).sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}

/** The totals as they will be once `deal` is in stage `to`: shown at once, before the server confirms the move. */
export function totalsAfterMove(totals: DealStageTotal[], deal: Deal, to: string): DealStageTotal[] {
  const from = deal.stageId;
  if (from === to) return totals;
  const byStage = new Map(totals.map((total) => [total.stageId, total]));
  byStage.set(from, withDeal(byStage.get(from) ?? { stageId: from, ...noDeals }, deal, -1));
  byStage.set(to, withDeal(byStage.get(to) ?? { stageId: to, ...noDeals }, deal, 1));
  return [...byStage.values()].filter((total) => total.count > 0);
}
