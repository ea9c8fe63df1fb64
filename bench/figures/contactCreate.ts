import { expectStatus, inProcessClient } from '../apiClient.ts';
import { addWorkspace } from '../benchEnvironment.ts';
import { contactApiBody, contactAt, plainContactOf } from '../fixtures.ts';
import { baselineAuditTables, createContactBaseline, type RawTransaction } from '../independent/contactIngest.ts';
import { quotients, spreadOf, timed } from '../measure.ts';
import { rawTransaction } from '../rawSql.ts';
import { roundsFigure, type Figure } from '../report.ts';
import type { SizedWorkspace } from '../sizedWorkspace.ts';

/*
 * Single-contact create: POST /contacts, one contact per request (in-process), by 1 writer,
 * by 8 concurrent writers in one workspace and by 8 spread over 4 workspaces, each against
 * the independent baseline (bench/independent/contactIngest.ts: seal, blind-index tokens,
 * duplicate e-mail check under a lock, audit entry under the chain rules, one transaction)
 * run by the same number of writers on the same workspaces. Writers are concurrent async
 * loops; on PostgreSQL each transaction takes its own pooled connection (Candor's pool
 * too), on PGlite the single connection serialises both sides. Per round each side
 * stores the same number of contacts; the figures are medians of per-round ratios, and
 * the scaling figure is (Candor 8 ÷ 1 writer) ÷ (baseline 8 ÷ 1 writer), per round.
 */

const perWriterOne = 30;
const perWriterMany = 6;

type Setup = { label: string; writers: number; perWriter: number; workspaces: Array<{ tenantId: string; apiKey: string }> };

async function concurrently(writers: number, perWriter: number, create: (writer: number) => Promise<unknown>): Promise<number> {
  const ms = await timed(() =>
    Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        for (let done = 0; done < perWriter; done += 1) await create(writer);
      }),
    ),
  );
  return (writers * perWriter) / (ms / 1000);
}

export async function measureContactCreate(workspace: SizedWorkspace, rounds: number): Promise<Figure[]> {
  const { env } = workspace;
  await env.database.exec(baselineAuditTables);
  const own = { tenantId: env.tenantId, apiKey: env.apiKey };
  const others = [];
  for (let extra = 0; extra < 3; extra += 1) others.push(await addWorkspace(env.database, `bench-writers-${extra}`));
  const setups: Setup[] = [
    { label: '1 writer', writers: 1, perWriter: perWriterOne, workspaces: [own] },
    { label: '8 writers, one workspace', writers: 8, perWriter: perWriterMany, workspaces: [own] },
    { label: '8 writers over 4 workspaces', writers: 8, perWriter: perWriterMany, workspaces: [own, ...others] },
  ];
  const transaction: RawTransaction = (work) => rawTransaction(env.database, work);
  const clients = new Map([own, ...others].map((entry) => [entry.tenantId, inProcessClient(env, entry.apiKey)]));
  const candor = (setup: Setup) =>
    concurrently(setup.writers, setup.perWriter, (writer) => {
      const target = setup.workspaces[writer % setup.workspaces.length];
      const body = contactApiBody(contactAt(workspace.nextIndex++));
      return expectStatus(clients.get(target.tenantId)!, { method: 'POST', url: '/api/v1/contacts', body }, 201);
    });
  const baseline = (setup: Setup) =>
    concurrently(setup.writers, setup.perWriter, (writer) => {
      const target = setup.workspaces[writer % setup.workspaces.length];
      return createContactBaseline(transaction, workspace.keys, { tenantId: target.tenantId, contact: plainContactOf(contactAt(workspace.nextIndex++)) });
    });
  // Warm-up: Candor's first contact in each new workspace creates its key epoch, which the baseline then uses.
  for (const setup of setups) {
    await candor(setup);
    await baseline(setup);
  }
  const rates = setups.map(() => ({ candor: [] as number[], baseline: [] as number[] }));
  for (let round = 0; round < rounds; round += 1) {
    for (const [which, setup] of setups.entries()) {
      if (round % 2 === 0) {
        rates[which].candor.push(await candor(setup));
        rates[which].baseline.push(await baseline(setup));
      } else {
        rates[which].baseline.push(await baseline(setup));
        rates[which].candor.push(await candor(setup));
      }
    }
  }
  const baselineIs =
    'independent node:crypto + raw SQL create in one transaction: subject key made and wrapped, every field sealed (AES-256-GCM), lookup tokens, duplicate e-mail check under an advisory lock, audit entry hashed with the previous hash under the locked chain head (bench_audit_* tables)';
  const figures = setups.map((setup, which) =>
    roundsFigure(
      {
        name: `single-contact create (POST /contacts), ${setup.label}, ${workspace.contacts.toLocaleString('en')} contacts`,
        candor: spreadOf(rates[which].candor).median,
        baseline: spreadOf(rates[which].baseline).median,
        unit: 'contacts/s',
        target: '>= 0.25',
        transport: 'in-process',
        baselineIs: `${baselineIs}; same writers and workspaces; ${setup.writers * setup.perWriter} contacts per side per round, median of ${rounds} rounds`,
        contacts: workspace.contacts,
      },
      spreadOf(quotients(rates[which].candor, rates[which].baseline)),
    ),
  );
  const scaling = (side: 'candor' | 'baseline') => quotients(rates[1][side], rates[0][side]);
  figures.push(
    roundsFigure(
      {
        name: `single-contact create scaling: Candor 8 ÷ 1 writer (one workspace) ÷ the baseline's 8 ÷ 1`,
        candor: spreadOf(scaling('candor')).median,
        baseline: spreadOf(scaling('baseline')).median,
        unit: 'quotient',
        target: env.database.kind === 'postgres' ? '>= 0.8' : null,
        transport: 'in-process',
        baselineIs: "the baseline's own 8-writer ÷ 1-writer throughput, same rounds",
        contacts: workspace.contacts,
      },
      spreadOf(quotients(scaling('candor'), scaling('baseline'))),
    ),
  );
  return figures;
}
