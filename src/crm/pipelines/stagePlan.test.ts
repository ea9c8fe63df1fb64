import { describe, expect, it } from 'vitest';
import { planStages, type ExistingStage } from './stagePlan.ts';

const existing: ExistingStage[] = [
  { id: 's1', name: 'Lead', outcome: 'open' },
  { id: 's2', name: 'Proposal', outcome: 'open' },
  { id: 's3', name: 'Won', outcome: 'won' },
];

const fieldOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    return (error as { issues: Array<{ field: string }> }).issues[0]?.field;
  }
  return undefined;
};

describe('planning a pipeline stage array', () => {
  it('orders stages as sent, keeps ids, adds new stages and removes the ones left out', () => {
    const plan = planStages(existing, [
      { id: 's2', name: 'Proposal', probability: 40, outcome: 'open' },
      { id: 's1', name: 'Lead', probability: 10, outcome: 'open' },
      { name: 'Negotiation', probability: 70, outcome: 'open' },
    ]);
    expect(plan.stages.map((stage) => [stage.id, stage.position])).toEqual([
      ['s2', 0],
      ['s1', 1],
      [null, 2],
    ]);
    expect(plan.removed.map((stage) => stage.id)).toEqual(['s3']);
    expect(plan.outcomeChanged).toEqual([]);
  });

  it('reports stages whose outcome changes', () => {
    const plan = planStages(existing, [{ id: 's2', name: 'Proposal', probability: 100, outcome: 'won' }]);
    expect(plan.outcomeChanged).toEqual([{ index: 0, stage: existing[1] }]);
  });

  it('refuses an id of another pipeline, a repeated id, a repeated name and an empty array, naming the element', () => {
    expect(fieldOf(() => planStages(existing, [{ id: 'elsewhere', name: 'X', probability: 0, outcome: 'open' }]))).toBe('stages.0.id');
    expect(
      fieldOf(() =>
        planStages(existing, [
          { id: 's1', name: 'A', probability: 0, outcome: 'open' },
          { id: 's1', name: 'B', probability: 0, outcome: 'open' },
        ]),
      ),
    ).toBe('stages.1.id');
    expect(
      fieldOf(() =>
        planStages(existing, [
          { name: 'Demo', probability: 0, outcome: 'open' },
          { name: ' demo ', probability: 0, outcome: 'open' },
        ]),
      ),
    ).toBe('stages.1.name');
    expect(fieldOf(() => planStages(existing, []))).toBe('stages');
  });
});
