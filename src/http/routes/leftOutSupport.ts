import { z } from 'zod';
import { leftOutThreshold, subjectReasons, type LeftOut } from '../../kernel/index.ts';
import { leftOutMessage } from '../reasonMessages.ts';

/*
 * `?explain=true` on a list of people: how many the filter matched that the purpose left
 * out, and why (src/kernel/leftOutCounts.ts). Counts below the threshold read "fewer than 5".
 */

const fewerThan = `fewer than ${leftOutThreshold}` as const;

export const explainQuery = {
  explain: z
    .enum(['true', 'false'])
    .optional()
    .describe(
      `true: also return explain.leftOut, how many people the filters matched that the purpose left out, by reason (below ${leftOutThreshold}: "${fewerThan}")`,
    ),
};

export const explainSchema = z
  .object({
    leftOut: z.array(
      z.object({
        reason: z.enum(subjectReasons),
        count: z
          .union([z.number().int().min(leftOutThreshold), z.literal(fewerThan)])
          .describe(`People left out for this reason; "${fewerThan}" for 0 to ${leftOutThreshold - 1}, so a narrow filter cannot single a person out`),
        message: z.string().describe('The reason in plain language'),
      }),
    ),
    countIsLowerBound: z.boolean().describe('true when more people were left out than the count cap: the counts are then "at least"'),
  })
  .describe(
    'With explain=true only: why the list is shorter than its filters. Every reason that can apply to the purpose is listed; one person left out for two reasons counts under each',
  );

export const explainView = (leftOut: LeftOut, purpose: string): z.infer<typeof explainSchema> => ({
  leftOut: leftOut.counts.map(({ reason, count }) => ({ reason, count: count ?? fewerThan, message: leftOutMessage(reason, purpose) })),
  countIsLowerBound: leftOut.countIsLowerBound,
});
