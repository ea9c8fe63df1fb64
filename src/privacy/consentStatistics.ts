import type { Executor } from '../db/connection.ts';
import {
  type ConsentCurrentCounts,
  type ConsentPeriodCounts,
  consentStatistics,
  emptyConsentCurrent,
  emptyConsentPeriod,
  type PurposeContext,
} from '../kernel/index.ts';
import { type ConsentInterval, type ConsentPeriod, consentPeriods } from './consentPeriods.ts';
import { latestMaterialNotices } from './notices/materialNotices.ts';
import { listPurposes } from './purposes.ts';

/*
 * The consent dashboard's numbers: the kernel counts the ledger (src/kernel/consentStatistics.ts);
 * this adds the periods, the purposes the ledger has not heard of yet (every consent purpose
 * is listed, zero included), the consent rate, and the renewals a material notice calls for.
 */

export type ConsentStatisticsRequest = { from: Date; to: Date; interval: ConsentInterval; renewalWindowDays: number; now?: Date };

/** live ÷ onRecord, rounded to four decimals; null when nobody is on record. */
export const consentRate = (live: number, onRecord: number): number | null => (onRecord === 0 ? null : Math.round((live / onRecord) * 10_000) / 10_000);

export type PurposeStatistics = {
  purposeKey: string;
  legalBasis: string;
  periods: Array<ConsentPeriodCounts & { consentRate: number | null }>;
  current: ConsentCurrentCounts & { consentRate: number | null };
  /** The latest material notice version and the day consents under older ones must be renewed by; null when none was published. */
  materialNotice: { version: number; renewBy: Date } | null;
};

export type ConsentStatistics = { periods: ConsentPeriod[]; purposes: PurposeStatistics[]; now: Date };

/**
 * Per purpose on the consent basis (and any other purpose the ledger names, such as an
 * opt-out of sale on another basis), in the workspace's purpose order: counts per period and
 * now. `from` <= `to`, and at least one period must have begun (the route checks both).
 */
export async function readConsentStatistics(db: Executor, ctx: PurposeContext, request: ConsentStatisticsRequest): Promise<ConsentStatistics> {
  const now = request.now ?? new Date();
  const periods = consentPeriods(request.from, request.to, request.interval, now);
  const materials = await latestMaterialNotices(db, ctx.tenantId);
  const counted = await consentStatistics(db, ctx, {
    starts: periods.map((period) => period.start),
    end: periods.at(-1)!.end,
    measuredAt: periods.map((period) => period.measuredAt),
    now,
    renewalWindowDays: request.renewalWindowDays,
    materialNotices: materials,
  });
  const byKey = new Map(counted.map((entry) => [entry.purposeKey, entry]));
  const purposes = (await listPurposes(db, ctx.tenantId)).filter((purpose) => purpose.legalBasis === 'consent' || byKey.has(purpose.key));
  return {
    now,
    periods,
    purposes: purposes.map((purpose): PurposeStatistics => {
      const entry = byKey.get(purpose.key);
      const current = entry?.current ?? emptyConsentCurrent();
      const material = materials.find((notice) => notice.purposeKey === purpose.key);
      return {
        purposeKey: purpose.key,
        legalBasis: purpose.legalBasis,
        periods: periods.map((_, index) => {
          const counts = entry?.periods[index] ?? emptyConsentPeriod();
          return { ...counts, consentRate: consentRate(counts.live, counts.onRecord) };
        }),
        current: { ...current, consentRate: consentRate(current.live, current.onRecord) },
        materialNotice: material ? { version: material.version, renewBy: material.renewBy } : null,
      };
    }),
  };
}
