import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Database } from '../../src/db/connection.ts';
import { rawTransaction, type RawQuery } from '../rawSql.ts';

/*
 * The collection figure's baseline: a bare Fastify route, written with the driver alone, that
 * stores what a consent submission stores — the visitor (by its first-party id) and, per
 * choice, a ledger event and the current state — in one transaction, and answers 202 with
 * the choices. No key, origin, limit, audit, seal or webhook: the floor under POST /collect.
 */

type Submission = { visitorId: string; consents: Array<{ purposeKey: string; given: boolean }> };

export async function createBareCollectTables(query: RawQuery): Promise<void> {
  await query(`create table bench_bare_visitors (tenant_id uuid not null, id uuid not null, anonymous_id text not null,
    primary key (tenant_id, id), unique (tenant_id, anonymous_id))`);
  await query(`create table bench_bare_consent_events (tenant_id uuid not null, id uuid not null, subject_id uuid not null,
    purpose_key text not null, state text not null, recorded_at timestamptz not null, channel text not null, actor text not null,
    primary key (tenant_id, id))`);
  await query(`create table bench_bare_consent_states (tenant_id uuid not null, subject_id uuid not null, purpose_key text not null,
    state text not null, last_event_at timestamptz not null, last_event_id uuid not null, primary key (tenant_id, subject_id, purpose_key))`);
}

export async function bareCollectApp(database: Database, tenantId: string): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.post<{ Body: Submission }>('/collect', async (request, reply) => {
    const { visitorId, consents } = request.body;
    await rawTransaction(database, async (query) => {
      const [visitor] = (await query(
        `insert into bench_bare_visitors (tenant_id, id, anonymous_id) values ($1, $2, $3)
         on conflict (tenant_id, anonymous_id) do update set anonymous_id = excluded.anonymous_id returning id`,
        [tenantId, randomUUID(), visitorId],
      )) as Array<{ id: string }>;
      for (const consent of consents) {
        const id = randomUUID();
        const state = consent.given ? 'given' : 'refused';
        const at = new Date().toISOString();
        await query(
          `insert into bench_bare_consent_events (tenant_id, id, subject_id, purpose_key, state, recorded_at, channel, actor)
           values ($1, $2, $3, $4, $5, $6, 'form', 'bare')`,
          [tenantId, id, visitor!.id, consent.purposeKey, state, at],
        );
        await query(
          `insert into bench_bare_consent_states (tenant_id, subject_id, purpose_key, state, last_event_at, last_event_id) values ($1, $2, $3, $4, $5, $6)
           on conflict (tenant_id, subject_id, purpose_key) do update set state = excluded.state, last_event_at = excluded.last_event_at, last_event_id = excluded.last_event_id`,
          [tenantId, visitor!.id, consent.purposeKey, state, at, id],
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
