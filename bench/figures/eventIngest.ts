import { newId } from '../../src/db/ids.ts';
import { kernelKeyStore } from '../../src/kernel/runtime.ts';
import type { BenchEnvironment } from '../benchEnvironment.ts';
import { eventBatch, type ApiEvent } from '../fixtures.ts';
import { interleave, median, timed } from '../measure.ts';
import { copyInsert, multiRowInsert, rawTransaction, type RawQuery } from '../rawSql.ts';
import type { Figure } from '../report.ts';
import { sealEventProperties } from '../sealedEventRows.ts';

const batchSize = 10_000;
const rounds = 6;
/** Rows per statement of the baseline (7 columns → 7,000 parameters); the fastest of 1k/5k/9k in our spike. */
const baselineChunkRows = 1_000;
const eventColumns = ['tenant_id', 'id', 'contact_id', 'visitor_id', 'type', 'occurred_at', 'properties'] as const;

/**
 * (b) Bulk event ingest: POST /events/batch with 10,000 events per request (in-process via
 * app.inject, body pre-serialised so the client's JSON.stringify is not counted) against a
 * raw multi-row INSERT of the same 10,000 event rows in one transaction. Candor seals every
 * event's properties under its subject's key, so the baseline does the same necessary
 * work with raw node:crypto inside its timed transaction (bench/sealedEventRows.ts: read
 * the epoch key, SELECT and unwrap every subject key of the batch, create the missing
 * ones, AES-256-GCM per event). Candor also validates every item, checks contact ids,
 * resolves anonymous ids to visitor profiles (blind index; creating new ones, sealed)
 * and writes the audit entry. On PostgreSQL Candor loads with COPY, so a raw COPY of the
 * same sealed rows is measured too, as a second, informational figure.
 */
export async function measureEventIngest(env: BenchEnvironment, contactIds: readonly string[]): Promise<Figure[]> {
  // Visitor ids for the baselines' anonymous events: a baseline stores rows, it does not resolve subjects.
  const visitorIds = new Map<string, string>();
  const visitorOf = (anonymousId: string) => {
    let id = visitorIds.get(anonymousId);
    if (!id) {
      id = newId();
      visitorIds.set(anonymousId, id);
    }
    return id;
  };
  const keyStore = kernelKeyStore();
  // Rows with their properties sealed, as Candor stores them; the sealing runs inside the timed transaction.
  const rowsOf = async (query: RawQuery, events: ApiEvent[]) => {
    const plain = events.map((event) => ({
      id: newId(),
      contactId: event.contactId ?? null,
      visitorId: event.anonymousId ? visitorOf(event.anonymousId) : null,
      type: event.type,
      occurredAt: event.occurredAt,
      properties: JSON.stringify(event.properties),
    }));
    const sealed = await sealEventProperties(
      query,
      keyStore,
      env.tenantId,
      plain.map((row) => ({ id: row.id, subjectId: (row.visitorId ?? row.contactId)!, properties: row.properties })),
    );
    return plain.map((row, position) => [env.tenantId, row.id, row.contactId, row.visitorId, row.type, row.occurredAt, sealed[position]]);
  };
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
    const events = eventBatch(contactIds, batchNumber++, batchSize);
    return perSecond(
      await timed(() =>
        rawTransaction(env.database, async (query) => multiRowInsert(query, 'events', eventColumns, await rowsOf(query, events), baselineChunkRows)),
      ),
    );
  };
  const copyBatch = async () => {
    const events = eventBatch(contactIds, batchNumber++, batchSize);
    return perSecond(await timed(() => copyInsert(env.database, 'events', eventColumns, (query) => rowsOf(query, events))));
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
  const sealing =
    'properties sealed with raw node:crypto AES-256-GCM under per-subject keys, every subject key of the batch unwrapped (missing ones created), in the same transaction';
  const figures = [
    figure(
      median(multiRowSamples),
      '>= 0.5',
      `raw multi-row INSERT of the same 10,000 event rows, ${baselineChunkRows.toLocaleString('en')} rows per statement, one transaction, straight to the driver; ${sealing}`,
    ),
  ];
  if (withCopy)
    figures.push(
      figure(
        median(copySamples),
        null,
        `raw COPY FROM STDIN of the same 10,000 event rows, one transaction (Candor itself loads with COPY on PostgreSQL); ${sealing}`,
      ),
    );
  return figures;
}
