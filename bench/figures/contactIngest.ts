import type { BenchEnvironment } from '../benchEnvironment.ts';
import { expectStatus, inProcessClient } from '../apiClient.ts';
import { contactAt } from '../fixtures.ts';
import { alternate, median, timed } from '../measure.ts';
import type { Figure } from '../report.ts';

const rounds = 6;
const contactsPerRound = 25;
const contactColumns = 'tenant_id, id, lifecycle_stage, source, personal, created_at, updated_at';

/**
 * (a) API ingest of contacts: POST /contacts, one contact per request as an integration
 * sends them (in-process via app.inject), against a raw single-row INSERT per contact —
 * the per-request equivalent. Candor also validates, checks the e-mail for duplicates under
 * a lock, writes lookup tokens, the audit entry and the webhook fan-out query.
 */
export async function measureContactIngest(env: BenchEnvironment, firstIndex: number): Promise<Figure> {
  const client = inProcessClient(env);
  let next = firstIndex;
  const candorRound = async () => {
    const bodies = Array.from({ length: contactsPerRound }, () => {
      const { personal, lifecycleStage } = contactAt(next++);
      return JSON.stringify({
        firstName: personal.first_name,
        lastName: personal.last_name,
        email: personal.email,
        phone: personal.phone,
        jobTitle: personal.job_title,
        city: personal.city,
        country: personal.country,
        lifecycleStage,
        source: 'api',
      });
    });
    const ms = await timed(async () => {
      for (const body of bodies) await expectStatus(client, { method: 'POST', url: '/api/v1/contacts', body }, 201);
    });
    return contactsPerRound / (ms / 1000);
  };
  const baselineRound = async () => {
    const rows = Array.from({ length: contactsPerRound }, () => contactAt(next++));
    const now = new Date().toISOString();
    const ms = await timed(async () => {
      for (const row of rows) {
        await env.database.query(`insert into contacts (${contactColumns}) values ($1, $2, $3, $4, $5, $6, $6)`, [
          env.tenantId,
          row.id,
          row.lifecycleStage,
          'api',
          JSON.stringify(row.personal),
          now,
        ]);
      }
    });
    return contactsPerRound / (ms / 1000);
  };
  await candorRound();
  await baselineRound();
  const samples = await alternate(rounds, candorRound, baselineRound);
  const candor = median(samples.candor);
  const baseline = median(samples.baseline);
  return {
    name: 'contact ingest (POST /contacts, one per request)',
    candor,
    baseline,
    unit: 'contacts/s',
    ratio: candor / baseline,
    target: null,
    transport: 'in-process',
    baselineIs: `raw single-row INSERT of the contact row per contact, autocommit (no lookup tokens, audit or duplicate check); median of ${rounds} rounds of ${contactsPerRound}`,
    samples: rounds,
  };
}
