import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/connection.ts';
import { rowsOf } from '../../db/rows.ts';
import { jobSchema } from '../../queue/sendJob.ts';

/*
 * The places outside the record that may name an erased subject's id: thin webhook
 * payloads, idempotency records and background jobs' payloads. None holds a personal
 * value, but each would let the id be linked back to what happened to the person, so the
 * erasure removes the id from all of them (issue 13). Campaign deliveries go with the
 * contact row (foreign key, on delete cascade).
 */

export type ScrubbedTraces = { webhookDeliveries: number; idempotencyRecords: number; jobs: number };

/** The id as it appears in a JSON document (quoted), and as it is replaced there. */
const quotedId = (subjectId: string) => `"${subjectId.toLowerCase()}"`;

/**
 * Removes the id from webhook deliveries: pending ones about the subject are dropped (the
 * record is gone; the erasure's own notice follows them, and their queued attempts find
 * nothing to send), the id in past ones becomes null.
 */
export async function scrubWebhookDeliveries(tx: Executor, tenantId: string, subjectId: string): Promise<number> {
  const quoted = quotedId(subjectId);
  const dropped = rowsOf<unknown>(
    await tx.execute(sql`
      delete from webhook_deliveries where tenant_id = ${tenantId}::uuid and status = 'pending' and strpos(payload::text, ${quoted}) > 0 returning id`),
  );
  const scrubbed = rowsOf<unknown>(
    await tx.execute(sql`
      update webhook_deliveries set payload = replace(payload::text, ${quoted}, 'null')::jsonb
      where tenant_id = ${tenantId}::uuid and strpos(payload::text, ${quoted}) > 0 returning id`),
  );
  return dropped.length + scrubbed.length;
}

/**
 * Removes the idempotency records whose outcome names the subject: a replay of the request
 * then runs again, and meets the erasure (a create is refused by the suppression).
 */
export async function scrubIdempotencyRecords(tx: Executor, tenantId: string, subjectId: string): Promise<number> {
  return rowsOf<unknown>(
    await tx.execute(sql`
      delete from idempotency_keys
      where tenant_id = ${tenantId}::uuid and (record_id = ${subjectId}::uuid or strpos(coalesce(result::text, ''), ${quotedId(subjectId)}) > 0)
      returning key`),
  ).length;
}

/**
 * Replaces the id with null in the payload of every pg-boss job (queued, done or archived)
 * that names it. Candor's own job payloads carry batch, campaign and delivery ids only, so
 * this finds something only when a future job names a person.
 */
export async function scrubJobPayloads(tx: Executor, subjectId: string): Promise<number> {
  const tables = rowsOf<{ table_name: string }>(
    await tx.execute(sql`
      select c.table_name from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = ${jobSchema} and c.column_name = 'data' and c.data_type = 'jsonb' and t.table_type = 'BASE TABLE'
        and not exists (select 1 from pg_inherits i join pg_class k on k.oid = i.inhrelid where k.relname = c.table_name)
      order by 1`),
  );
  const quoted = quotedId(subjectId);
  let scrubbed = 0;
  for (const { table_name: table } of tables) {
    const name = sql.raw(`"${jobSchema}"."${table.replaceAll('"', '""')}"`);
    scrubbed += rowsOf<unknown>(
      await tx.execute(sql`update ${name} set data = replace(data::text, ${quoted}, 'null')::jsonb where strpos(data::text, ${quoted}) > 0 returning 1`),
    ).length;
  }
  return scrubbed;
}

/** All three, in the erasure's transaction. */
export async function scrubSubjectTraces(tx: Executor, tenantId: string, subjectId: string): Promise<ScrubbedTraces> {
  return {
    webhookDeliveries: await scrubWebhookDeliveries(tx, tenantId, subjectId),
    idempotencyRecords: await scrubIdempotencyRecords(tx, tenantId, subjectId),
    jobs: await scrubJobPayloads(tx, subjectId),
  };
}
