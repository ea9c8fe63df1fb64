import { expectStatus } from '../apiClient.ts';
import { contactAt } from '../fixtures.ts';
import { exactBlindIndex } from '../independent/crypto.ts';
import { openContacts, type SealedContact } from '../independent/sealedReads.ts';
import { latencyRounds, percentile, quotients, spreadOf } from '../measure.ts';
import { roundsFigure, type Figure } from '../report.ts';
import type { SizedWorkspace } from '../sizedWorkspace.ts';

/*
 * Exact e-mail search, measured first after the workspaces are loaded — straight after the
 * bulk import, before anything but Candor itself could refresh statistics: POST
 * /contacts/search {email} for addresses spread over the whole workspace, against the
 * baseline: the address's blind index (HMAC-SHA256, own code), a raw SELECT joining
 * lookup_tokens to contacts and their wrapped keys, unwrap (own cache) and decrypt. With two
 * sizes, growth = Candor's p50 at the larger size ÷ at the smaller, per round, interleaved.
 */

const perRound = 20;

const addressAt = (workspace: SizedWorkspace, sample: number) =>
  String(contactAt(1 + ((sample * 7919) % (workspace.contacts - 1))).personal.email).toLowerCase();

export async function measureEmailSearch(workspaces: readonly SizedWorkspace[], rounds: number): Promise<Figure[]> {
  const series = workspaces.flatMap((workspace) => {
    const cache = new Map<string, Buffer>();
    const candor = async (sample: number) => {
      const body = await expectStatus(workspace.client, { method: 'POST', url: '/api/v1/contacts/search', body: { email: addressAt(workspace, sample) } }, 200);
      return (JSON.parse(body) as { data: unknown[] }).data.length;
    };
    const baseline = async (sample: number) => {
      const tenantId = workspace.env.tenantId;
      const token = exactBlindIndex(await workspace.keys.blindIndexKey(tenantId), 'email', addressAt(workspace, sample));
      const rows = await workspace.query<SealedContact>(
        `select c.id, c.personal, k.subject_id, k.key_version, k.epoch, k.wrapped_key
         from lookup_tokens t join contacts c on c.tenant_id = t.tenant_id and c.id = t.record_id
         join subject_keys k on k.tenant_id = c.tenant_id and k.subject_id = c.id
         where t.tenant_id = $1 and t.object = 'contact' and t.field = 'email' and t.token = $2`,
        [tenantId, token],
      );
      return (await openContacts(workspace.keys, tenantId, rows, cache)).contacts;
    };
    return [candor, baseline];
  });
  // The first timed requests are the point of this figure (straight after the import): no warm-up.
  const samples = await latencyRounds(rounds, perRound, series);
  // Both sides must find the same people, or the baseline is not doing the same search.
  for (let which = 0; which < series.length; which += 2) {
    const [found, expected] = [await series[which](0), await series[which + 1](0)];
    if (found !== expected || found === 0) throw new Error(`e-mail search found ${found} contacts, the baseline ${expected}`);
  }
  const p50 = (values: number[][]) => values.map((round) => percentile(round, 50));
  const figures = workspaces.map((workspace, which) =>
    roundsFigure(
      {
        name: `exact e-mail search p50, straight after bulk import, ${workspace.contacts.toLocaleString('en')} contacts`,
        candor: spreadOf(p50(samples[2 * which])).median,
        baseline: spreadOf(p50(samples[2 * which + 1])).median,
        unit: 'ms',
        target: null,
        transport: 'in-process',
        baselineIs: `blind index of the address (own HMAC code), raw SELECT joining lookup_tokens to contacts and wrapped keys, unwrap (own cache) and decrypt; per round the p50 of ${perRound} interleaved searches, median of ${rounds} rounds`,
        contacts: workspace.contacts,
      },
      spreadOf(quotients(p50(samples[2 * which]), p50(samples[2 * which + 1]))),
    ),
  );
  if (workspaces.length === 2) {
    const [small, large] = workspaces;
    figures.push(
      roundsFigure(
        {
          name: `exact e-mail search p50 straight after bulk import, ${large.contacts.toLocaleString('en')} ÷ ${small.contacts.toLocaleString('en')} contacts`,
          candor: spreadOf(p50(samples[2])).median,
          baseline: spreadOf(p50(samples[0])).median,
          unit: 'ms',
          target: '<= 1.3',
          transport: 'in-process',
          baselineIs: `Candor's own p50 at ${small.contacts.toLocaleString('en')} contacts, same run, interleaved; median of ${rounds} per-round quotients`,
          contacts: large.contacts,
        },
        spreadOf(quotients(p50(samples[2]), p50(samples[0]))),
      ),
    );
  }
  return figures;
}
