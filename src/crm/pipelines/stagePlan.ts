import { DomainError, invalid } from '../../shared/domainError.ts';

export const stageOutcomes = ['open', 'won', 'lost'] as const;
export type StageOutcome = (typeof stageOutcomes)[number];

export type StageInput = { id?: string; name: string; probability: number; outcome: StageOutcome };
export type PlannedStage = { id: string | null; name: string; position: number; probability: number; outcome: StageOutcome };
export type ExistingStage = { id: string; name: string; outcome: StageOutcome };

/** What sending a pipeline's stage array changes: the array's order is the stages' order. */
export type StagePlan = {
  /** Every stage in its new order; id null for a stage to create. */
  stages: PlannedStage[];
  /** Existing stages left out of the array: they are to be removed. */
  removed: ExistingStage[];
  /** Existing stages whose outcome the array changes (open ↔ won/lost). */
  outcomeChanged: Array<{ index: number; stage: ExistingStage }>;
};

const foldStageName = (name: string) => name.trim().toLocaleLowerCase('en');

/**
 * Pure: matches the requested stages to the existing ones by id. A stage without an id is
 * new; an id that is not a stage of this pipeline, an id listed twice or two stages with
 * the same name are refused, naming the array element.
 */
export function planStages(existing: readonly ExistingStage[], requested: readonly StageInput[]): StagePlan {
  if (requested.length === 0) throw invalid('stages', 'a pipeline needs at least one stage');
  const existingById = new Map(existing.map((stage) => [stage.id, stage]));
  const seenIds = new Set<string>();
  const seenNames = new Set<string>();
  const outcomeChanged: StagePlan['outcomeChanged'] = [];
  const stages = requested.map((stage, index): PlannedStage => {
    const name = stage.name.trim();
    if (name.length === 0) throw invalid(`stages.${index}.name`, 'must not be blank');
    if (seenNames.has(foldStageName(name))) throw invalid(`stages.${index}.name`, 'another stage of this pipeline has this name');
    seenNames.add(foldStageName(name));
    if (stage.id !== undefined) {
      const current = existingById.get(stage.id);
      if (!current) throw invalid(`stages.${index}.id`, 'not a stage of this pipeline; leave id out to add a new stage');
      if (seenIds.has(stage.id)) throw invalid(`stages.${index}.id`, 'this stage is listed twice');
      seenIds.add(stage.id);
      if (current.outcome !== stage.outcome) outcomeChanged.push({ index, stage: current });
    }
    return { id: stage.id ?? null, name, position: index, probability: stage.probability, outcome: stage.outcome };
  });
  return { stages, removed: existing.filter((stage) => !seenIds.has(stage.id)), outcomeChanged };
}

/** 409 naming a stage that deals still use, so the client knows which deals to move. */
export function stageInUse(stage: ExistingStage, dealCount: number, field: string, change: 'removed' | 'given another outcome'): DomainError {
  return new DomainError(
    'conflict',
    `Stage "${stage.name}" is used by ${dealCount} deal(s) and cannot be ${change}; move those deals to another stage first.`,
    [{ field, reason: `stage "${stage.name}" is used by ${dealCount} deal(s)` }],
    { stageId: stage.id, stageName: stage.name, dealCount },
  );
}
