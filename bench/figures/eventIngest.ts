import { newId } from '../../src/db/ids.ts';
import type { BenchEnvironment } from '../benchEnvironment.ts';
import { eventBatch, type ApiEvent } from '../fixtures.ts';
import { interleave, median, timed } from '../measure.ts';
import { copyInsert, multiRowInsert, rawTransaction } from '../rawSql.ts';
import type { Figure } from '../report.ts';

const batchSize = 10_000;
const rounds = 6;
/** Rows per statement of the baseline (7 columns → 7,000 parameters); the fastest of 1k/5k/9k in our spike. */
const baselineChunkRows = 1_000;
const eventColumns = ['tenant_id', 'id', 'contact_id', 'visitor_id', 'type', 'occurred_at', 'properties'] as const;

/**
 * (b) Bulk event ingest: POST /events/batch with 10,000 events per request (in-process via
 * app.inject, body pre-serialised so the client's JSON.stringify is not counted) against a
 * raw multi-row INSERT of the same 10,000 event rows in one transaction. Candor also
 * validates every item, checks contact ids, resolves anonymous ids to visitor profiles
 * (creating new ones) and writes the audit entry. On PostgreSQL Candor loads with COPY, so
 * a raw COPY of the same rows is measured too, as a second, informational figure.
 */
export async function measureEventIngest(env: BenchEnvironment, contactIds: readonly string[]): Promise<Figure[]> {
  // Visitor ids for the baselines' anonymous events: a baseline stores rows, it does not resolve subjects.
  const visitorIds = new Map<string, string>();
  const visitorOf = (anonymousId: string) => {
    let id = visitorIds.get(anonymousId);
    if (!id) visitorIds.set(anonymousId, (id = newId()));
    return id;
  };
  const rowsOf = (events: ApiEvent[]) =>
    events.map((event) => [env.tenantId, newId(), event.contactId ?? null, event.anonymousId ? visitorOf(event.anonymousId) : null, event.type, event.occurredAt, JSON.stringify(event.properties)]);
  const perSecond = (ms: number) => batchSize / (ms / 1000);

  let batchNumber = 0;
  const candorBatch = async () => {
    const body = JSON.stringify({ events: eventBatch(contactIds, batchNumber++, batchSize) });
    let status = 0;
    const ms = await timed(async () => {
      const response = await env.app.inject({
        method: 'POST',
        url: '/api/v1/events/batch',
        payload: body,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${env.apiKey}`, 'candor-purpose': 'web_analytics' },
      });
      status = response.statusCode;
    });
    if (status !== 201) throw new Error(`POST /events/batch answered ${status}`);
    return perSecond(ms);
  };
  const multiRowBatch = async () => {
    const rows = rowsOf(eventBatch(contactIds, batchNumber++, batchSize));
    return perSecond(await timed(() => rawTransaction(env.database, (query) => multiRowInsert(query, 'events', eventColumns, rows, baselineChunkRows))));
  };
  const copyBatch = async () => {
    const rows = rowsOf(eventBatch(contactIds, batchNumber++, batchSize));
    return perSecond(await timed(() => copyInsert(env.database, 'events', eventColumns, rows)));
  };

  const withCopy = env.database.kind === 'postgres';
  const series = withCopy ? [candorBatch, multiRowBatch, copyBatch] : [candorBatch, multiRowBatch];
  for (const warmUp of series) await warmUp();
  const [candorSamples, multiRowSamples, copySamples] = await interleave(rounds, series);
  const candor = median(candorSamples);
  const figure = (baseline: number, target: string | null, baselineIs: string): Figure => ({
    name: `bulk event ingest (10,000 per batch)${target ? '' : ', vs raw COPY'}`,
    candor,
    baseline,
    unit: 'events/s',
    ratio: candor / baseline,
    target,
    transport: 'in-process',
    baselineIs: `${baselineIs}; median of ${rounds} batches each`,
    samples: rounds,
  });
  const figures = [figure(median(multiRowSamples), '>= 0.5', `raw multi-row INSERT of the same 10,000 event rows, ${baselineChunkRows.toLocaleString('en')} rows per statement, one transaction, straight to the driver`)];
  if (withCopy) figures.push(figure(median(copySamples), null, 'raw COPY FROM STDIN of the same 10,000 event rows, one transaction (Candor itself loads with COPY on PostgreSQL)'));
  return figures;
}
