import { createHash, randomBytes, randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/connection.ts';
import { rawTransaction, type RawQuery } from '../rawSql.ts';
import { currentEpoch } from './contactIngest.ts';
import { exactBlindIndex, sealField, wrapKey } from './crypto.ts';
import type { KeySource } from './sealedReads.ts';

/*
 * The collection figure's baseline: a bare Fastify route, written with the driver and
 * node:crypto alone, that stores what a consent submission stores — the visitor (by its
 * first-party id) and, per choice, a ledger event and the current state — in one transaction,
 * and answers 202 with the choices. It also does the work any privacy-respecting public
 * collection endpoint must do, which Candor cannot skip either (added after the first
 * measurement, when the figure compared Candor against the inserts alone):
 *  - one rate-limit hit per client address (a hashed key, one upsert, 429 past the limit):
 *    the route is public and unauthenticated;
 *  - the visitor id — an online identifier, personal data — sealed under a fresh subject key
 *    wrapped under the workspace's current epoch key (read under the epoch's shared lock),
 *    and found again by its blind index, never stored in clear.
 * No form key, origin check, audit, evidence or webhook: those stay Candor's own extra cost.
 */

type Submission = { visitorId: string; consents: Array<{ purposeKey: string; given: boolean }> };

const perClientPerMinute = 600;

export async function createBareCollectTables(query: RawQuery): Promise<void> {
  await query('create table bench_bare_rate_limits (key text primary key, window_start timestamptz not null, count int not null)');
  await query(`create table bench_bare_visitors (tenant_id uuid not null, id uuid not null, anonymous_token text not null, personal jsonb not null,
    primary key (tenant_id, id), unique (tenant_id, anonymous_token))`);
  await query(`create table bench_bare_consent_events (tenant_id uuid not null, id uuid not null, subject_id uuid not null,
    purpose_key text not null, state text not null, recorded_at timestamptz not null, channel text not null, actor text not null,
    primary key (tenant_id, id))`);
  await query(`create table bench_bare_consent_states (tenant_id uuid not null, subject_id uuid not null, purpose_key text not null,
    state text not null, last_event_at timestamptz not null, last_event_id uuid not null, primary key (tenant_id, subject_id, purpose_key))`);
}

/** One hit on the client's bucket (fixed one-minute window); false once it is spent. */
async function withinLimit(database: Database, ip: string): Promise<boolean> {
  const key = `bare.collect:${createHash('sha256').update(ip).digest('hex')}`;
  const [row] = (await database.query(
    `insert into bench_bare_rate_limits (key, window_start, count) values ($1, now(), 1)
     on conflict (key) do update set
       count = case when bench_bare_rate_limits.window_start <= now() - interval '1 minute' then 1 else bench_bare_rate_limits.count + 1 end,
       window_start = case when bench_bare_rate_limits.window_start <= now() - interval '1 minute' then now() else bench_bare_rate_limits.window_start end
     returning count`,
    [key],
  )) as Array<{ count: number }>;
  return row!.count <= perClientPerMinute;
}

/** The visitor's id: its row found by blind index, or made (sealed, with its subject key). */
async function visitorOf(query: RawQuery, keys: KeySource, tenantId: string, visitorId: string): Promise<string> {
  const token = exactBlindIndex(await keys.blindIndexKey(tenantId), 'anonymous_id', visitorId);
  const { epoch, epochKey } = await currentEpoch(query, keys, tenantId);
  const id = randomUUID();
  const subjectKey = randomBytes(32);
  const personal = { anonymousId: sealField(subjectKey, 1, tenantId, id, 'anonymousId', visitorId) };
  const [made] = (await query(
    `insert into bench_bare_visitors (tenant_id, id, anonymous_token, personal) values ($1, $2, $3, $4)
     on conflict (tenant_id, anonymous_token) do nothing returning id`,
    [tenantId, id, token, JSON.stringify(personal)],
  )) as Array<{ id: string }>;
  if (!made) {
    const [known] = (await query('select id from bench_bare_visitors where tenant_id = $1 and anonymous_token = $2', [tenantId, token])) as Array<{
      id: string;
    }>;
    return known!.id;
  }
  await query('insert into subject_keys (tenant_id, subject_id, key_version, epoch, wrapped_key) values ($1, $2, 1, $3, $4)', [
    tenantId,
    id,
    epoch,
    wrapKey(epochKey, tenantId, id, 1, epoch, subjectKey),
  ]);
  return id;
}

export async function bareCollectApp(database: Database, keys: KeySource, tenantId: string): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.post<{ Body: Submission }>('/collect', async (request, reply) => {
    const { visitorId, consents } = request.body;
    if (!(await withinLimit(database, request.ip))) return reply.code(429).send({ title: 'Too many requests' });
    await rawTransaction(database, async (query) => {
      const subjectId = await visitorOf(query, keys, tenantId, visitorId);
      for (const consent of consents) {
        const id = randomUUID();
        const state = consent.given ? 'given' : 'refused';
        const at = new Date().toISOString();
        await query(
          `insert into bench_bare_consent_events (tenant_id, id, subject_id, purpose_key, state, recorded_at, channel, actor)
           values ($1, $2, $3, $4, $5, $6, 'form', 'bare')`,
          [tenantId, id, subjectId, consent.purposeKey, state, at],
        );
        await query(
          `insert into bench_bare_consent_states (tenant_id, subject_id, purpose_key, state, last_event_at, last_event_id) values ($1, $2, $3, $4, $5, $6)
           on conflict (tenant_id, subject_id, purpose_key) do update set state = excluded.state, last_event_at = excluded.last_event_at, last_event_id = excluded.last_event_id`,
          [tenantId, subjectId, consent.purposeKey, state, at, id],
        );
      }
    });
    return reply
      .code(202)
      .send({ data: { consents: consents.map((consent) => ({ purposeKey: consent.purposeKey, state: consent.given ? 'given' : 'refused' })) } });
  });
  await app.ready();
  return app;
}
