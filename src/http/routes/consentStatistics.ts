import { z } from 'zod';
import { requirePurpose } from '../../kernel/index.ts';
import { consentIntervals, dayOf, defaultFrom, maxConsentPeriods, periodCount, periodStart } from '../../privacy/consentPeriods.ts';
import { readConsentStatistics } from '../../privacy/consentStatistics.ts';
import { nameComponent } from '../openapi/components.ts';
import { accessContext } from '../principal.ts';
import { calendarDate, isoOrNull } from './recordRouteSupport.ts';
import { routePlugin } from './routePlugin.ts';

/*
 * GET /api/v1/consents/statistics: the consent dashboard's numbers (src/privacy/consentStatistics.ts),
 * counted set-wise by the kernel. Counts only, for privacy officers and admins.
 */

const today = () => new Date(`${dayOf(new Date())}T00:00:00Z`);
const dayDate = (day: string) => new Date(`${day}T00:00:00Z`);

export const consentStatisticsQuery = z
  .object({
    from: calendarDate.optional().describe('The first day to cover (YYYY-MM-DD, UTC); its whole week or month is counted. Default: 11 periods before `to`.'),
    to: calendarDate.optional().describe('The last day to cover (YYYY-MM-DD, UTC); its whole week or month is counted. Default: today.'),
    interval: z.enum(consentIntervals).default('month').describe('Periods of calendar weeks (from Monday) or months, UTC. Default month.'),
    renewalWindowDays: z.coerce
      .number()
      .int()
      .min(1)
      .max(365)
      .default(30)
      .describe('A live consent expiring within this many days is due for renewal (1 to 365, default 30)'),
  })
  .superRefine((query, context) => {
    const to = dayDate(query.to ?? dayOf(today()));
    const from = query.from ? dayDate(query.from) : defaultFrom(to, query.interval);
    // The field to name: from when given, else to (from's default follows it).
    const path = [query.from ? 'from' : 'to'];
    if (from > to) context.addIssue({ code: 'custom', path, message: 'must not be after to (or today)' });
    else if (periodStart(from, query.interval) > new Date())
      context.addIssue({ code: 'custom', path, message: 'must not be so far ahead that no period has begun' });
    else if (periodCount(from, to, query.interval) > maxConsentPeriods) {
      context.addIssue({ code: 'custom', path: ['from'], message: `at most ${maxConsentPeriods} periods: move from closer to to, or count by month` });
    }
  });

const count = (what: string) => z.number().int().describe(what);

const periodCounts = {
  given: count('Consents given in the period'),
  refused: count('Consents refused in the period'),
  withdrawn: count('Consents withdrawn in the period'),
  renewed: count('Consents renewed in the period'),
  expired: count(
    'Given or renewed consents that ran out in the period (their expiry time fell in it, with no newer word before), whether or not the expiry job has recorded it yet',
  ),
  optedOut: count('Opt-outs of sale, sharing or targeted advertising recorded in the period, through any channel'),
  gpcOptOuts: count('Of those, the ones a Global Privacy Control signal recorded'),
  onRecord: count('Subjects on record for the purpose at measuredAt: with any ledger event for it (given, refused, …, opted out) recorded before then'),
  live: count('Of those, the ones whose consent was live at measuredAt, by the ledger’s rule (their latest word given or renewed, not expired)'),
  consentRate: z
    .number()
    .nullable()
    .describe('live ÷ onRecord, between 0 and 1 (four decimals): the share of the subjects asked whose consent was live; null when nobody was on record'),
};

const periodSchema = z.object({
  start: z.string().describe('The first day of the period (YYYY-MM-DD, 00:00 UTC)'),
  end: z.string().describe('The first day after the period (YYYY-MM-DD, exclusive)'),
  measuredAt: z
    .string()
    .describe(
      'The instant onRecord, live and consentRate are taken at, counting the events recorded before it: the period’s end, or now for the period under way',
    ),
  ...periodCounts,
});

const currentSchema = z.object({
  onRecord: count('Subjects on record for the purpose now'),
  live: count('Of those, the ones whose consent is live now'),
  consentRate: periodCounts.consentRate,
  refused: count('Subjects whose latest word is a refusal'),
  withdrawn: count('Subjects whose latest word is a withdrawal'),
  expired: count('Subjects whose consent has run out (recorded as expired or past its expiry time)'),
  optedOut: count('Subjects whose latest word is an opt-out of sale, sharing or targeted advertising'),
  expiringSoon: count('Renewals due: live consents whose expiry falls within renewalWindowDays from now'),
  olderNotice: count(
    'Renewals due: live consents given under a notice version older than materialNotice.version (or under no recorded version); they stop counting at materialNotice.renewBy',
  ),
  renewalsDue: count('Live consents due for renewal for either reason, each counted once'),
});

const purposeSchema = z.object({
  purposeKey: z.string(),
  legalBasis: z.string().describe('Every purpose on the consent basis is listed; another purpose only when the ledger holds opt-outs of it'),
  periods: z.array(periodSchema).describe('One per period, in the order of the top-level periods'),
  current: currentSchema,
  materialNotice: z
    .object({ version: z.number().int(), renewBy: z.string().describe('When consents given under older versions stop counting') })
    .nullable()
    .describe('The latest material version of the purpose’s notice; null when none was published'),
});

nameComponent(purposeSchema, 'PurposeConsentStatistics', 'The consent ledger counted for one purpose, per period and now');

const statisticsSchema = z.object({
  interval: z.enum(consentIntervals),
  asOf: z.string().describe('The instant "now" was taken at'),
  renewalWindowDays: z.number().int(),
  periods: z.array(z.object({ start: z.string(), end: z.string() })).describe('The periods counted, oldest first; periods that have not begun are left out'),
  purposes: z.array(purposeSchema),
});

export const consentStatisticsRoutes = routePlugin(async (app, deps) => {
  app.get(
    '/consents/statistics',
    {
      schema: {
        operationId: 'getConsentStatistics',
        tags: ['consents'],
        summary:
          'Consent given, refused, withdrawn, expired, renewed and opted out per purpose and period, consent rates, renewals due (privacy officers and admins)',
        description:
          'Counts over the consent ledger, no personal data. The consent rate of a purpose at an instant is live ÷ onRecord: of the subjects asked (with any ledger event for the purpose before then), the share whose consent was live. ' +
          'Only subjects that are today a contact or visitor profile of the workspace and not erased are counted (a merged duplicate’s events are counted once, under the surviving contact). ' +
          'Aggregate reads are not audited, as for the activities’ weekly counts.',
        querystring: consentStatisticsQuery,
        response: { 200: statisticsSchema },
      },
    },
    async (request) => {
      const ctx = requirePurpose(accessContext(request, 'consent_statistics:read'));
      const { interval, renewalWindowDays } = request.query;
      const to = request.query.to ? dayDate(request.query.to) : today();
      const from = request.query.from ? dayDate(request.query.from) : defaultFrom(to, interval);
      const statistics = await readConsentStatistics(deps.database.db, ctx, { from, to, interval, renewalWindowDays });
      return {
        interval,
        asOf: statistics.now.toISOString(),
        renewalWindowDays,
        periods: statistics.periods.map((period) => ({ start: dayOf(period.start), end: dayOf(period.end) })),
        purposes: statistics.purposes.map((purpose) => ({
          purposeKey: purpose.purposeKey,
          legalBasis: purpose.legalBasis,
          periods: purpose.periods.map((counts, index) => {
            const period = statistics.periods[index]!;
            return { start: dayOf(period.start), end: dayOf(period.end), measuredAt: period.measuredAt.toISOString(), ...counts };
          }),
          current: purpose.current,
          materialNotice: purpose.materialNotice ? { version: purpose.materialNotice.version, renewBy: isoOrNull(purpose.materialNotice.renewBy)! } : null,
        })),
      };
    },
  );
});
