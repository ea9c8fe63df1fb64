import { blindToken, foldName, namesMatchPrefix } from '../../src/kernel/lookupTokens.ts';
import { kernelKeyStore } from '../../src/kernel/runtime.ts';
import { openRecord, SubjectKeyCache, unwrapSubjectKeyRows, type WrappedKeyRow } from '../../src/kernel/vault/index.ts';
import type { BenchEnvironment } from '../benchEnvironment.ts';
import { expectStatus, type ApiClient, type ApiRequest } from '../apiClient.ts';
import type { SeededContacts } from '../fixtures.ts';
import { alternate, percentile, timed } from '../measure.ts';
import type { Figure } from '../report.ts';

const pageSize = 50;

type SealedRow = WrappedKeyRow & { id: string; personal: Record<string, unknown> };
const pagesWalked = 20;
const listSamples = 200;
const searchSamples = 100;

type Latencies = { candor: number; baseline: number };

async function p95Pair(samples: number, candor: (sample: number) => Promise<unknown>, baseline: (sample: number) => Promise<unknown>): Promise<Latencies> {
  for (let warm = 0; warm < 20; warm += 1) {
    await candor(warm);
    await baseline(warm);
  }
  const measured = await alternate(
    samples,
    (sample) => timed(() => candor(sample)),
    (sample) => timed(() => baseline(sample)),
  );
  return { candor: percentile(measured.candor, 95), baseline: percentile(measured.baseline, 95) };
}

/** The first pages of GET /contacts (oldest first): Candor's cursor and the raw query's (created_at, id) bound for each. */
async function walkPages(client: ApiClient): Promise<Array<{ cursor: string | null; after: { createdAt: string; id: string } | null }>> {
  const pages: Array<{ cursor: string | null; after: { createdAt: string; id: string } | null }> = [{ cursor: null, after: null }];
  while (pages.length < pagesWalked) {
    const { cursor } = pages[pages.length - 1];
    const body = await expectStatus(client, { method: 'GET', url: `/api/v1/contacts?limit=${pageSize}${cursor ? `&cursor=${cursor}` : ''}` }, 200);
    const page = JSON.parse(body) as { data: Array<{ id: string; createdAt: string }>; nextCursor: string | null };
    if (!page.nextCursor) break;
    const last = page.data[page.data.length - 1];
    pages.push({ cursor: page.nextCursor, after: { createdAt: last.createdAt, id: last.id } });
  }
  return pages;
}

/**
 * (c) One page of 50 contacts: GET /contacts?limit=50 (p95 over the first 20 pages) against
 * a raw SELECT of the same 51 rows (keyset bound on created_at, id; the extra row tells
 * whether a next page exists, as Candor fetches it).
 */
export async function measureContactList(env: BenchEnvironment, client: ApiClient): Promise<Figure> {
  const pages = await walkPages(client);
  const request = (sample: number): ApiRequest => {
    const { cursor } = pages[sample % pages.length];
    return { method: 'GET', url: `/api/v1/contacts?limit=${pageSize}${cursor ? `&cursor=${cursor}` : ''}` };
  };
  // Values are sealed since the privacy kernel: the raw page is the SELECT of the rows with
  // their wrapped keys plus unwrap and decrypt, with a key cache of its own as Candor has.
  const keyStore = kernelKeyStore();
  const baselineCache = new SubjectKeyCache();
  const rawPage = async (sample: number) => {
    const { after } = pages[sample % pages.length];
    const columns = 'c.*, k.subject_id, k.key_version, k.epoch, k.wrapped_key';
    const join = 'contacts c join subject_keys k on k.tenant_id = c.tenant_id and k.subject_id = c.id';
    const rows = after
      ? await env.database.query<SealedRow>(
          `select ${columns} from ${join} where c.tenant_id = $1 and (c.created_at, c.id) > ($2, $3) order by c.created_at, c.id limit $4`,
          [env.tenantId, after.createdAt, after.id, pageSize + 1],
        )
      : await env.database.query<SealedRow>(`select ${columns} from ${join} where c.tenant_id = $1 order by c.created_at, c.id limit $2`, [
          env.tenantId,
          pageSize + 1,
        ]);
    const keys = await unwrapSubjectKeyRows(keyStore, env.tenantId, rows, baselineCache);
    return rows.map((row) => openRecord(keys.get(row.id)!, row.personal));
  };
  const latencies = await p95Pair(listSamples, (sample) => expectStatus(client, request(sample), 200), rawPage);
  return {
    name: `contact list page (${pageSize} rows), p95`,
    candor: latencies.candor,
    baseline: latencies.baseline,
    unit: 'ms',
    ratio: latencies.candor / latencies.baseline,
    target: client.transport === 'in-process' ? '<= 3' : null,
    transport: client.transport,
    baselineIs: `raw SELECT * of the same ${pageSize + 1} rows by keyset on (created_at, id) joined with their wrapped keys, unwrap (own key cache) and decrypt of every field, in-process; p95 of ${listSamples} requests over ${pages.length} pages each`,
    samples: listSamples,
  };
}

/**
 * (d) Search: POST /contacts/search by exact e-mail, and by name prefix (first 50 matches),
 * against the raw lookup of the same rows: lookup_tokens joined to contacts.
 */
export async function measureContactSearch(env: BenchEnvironment, client: ApiClient, seeded: SeededContacts): Promise<Figure[]> {
  const pick = (sample: number) => seeded.contacts[(sample * 7919) % seeded.contacts.length].personal;
  // The raw lookups do what any search over encrypted values must: compute the blind index,
  // SELECT the matching rows with their wrapped keys, unwrap (own key cache) and decrypt.
  const blindKey = await kernelKeyStore().blindIndexKey(env.tenantId);
  const keyCache = new SubjectKeyCache();
  const sealedLookup = async (field: 'email' | 'name', token: string, limit: number) => {
    const rows = await env.database.query<SealedRow>(
      `select c.*, k.subject_id, k.key_version, k.epoch, k.wrapped_key
       from lookup_tokens t join contacts c on c.tenant_id = t.tenant_id and c.id = t.record_id
       join subject_keys k on k.tenant_id = c.tenant_id and k.subject_id = c.id
       where t.tenant_id = $1 and t.object = 'contact' and t.field = $2 and t.token = $3 order by t.record_id limit $4`,
      [env.tenantId, field, blindToken(blindKey, field, token), limit],
    );
    const keys = await unwrapSubjectKeyRows(kernelKeyStore(), env.tenantId, rows, keyCache);
    return rows.map((row) => openRecord(keys.get(row.id)!, row.personal));
  };
  const email = await p95Pair(
    searchSamples,
    (sample) => expectStatus(client, { method: 'POST', url: '/api/v1/contacts/search', body: { email: pick(sample).email } }, 200),
    (sample) => sealedLookup('email', String(pick(sample).email).toLowerCase(), 10),
  );
  // The first three letters of a last-name word, folded as Candor folds them (so the raw token matches).
  const prefix = (sample: number) => (foldName(String(pick(sample).last_name)).find((word) => word.length >= 3) ?? 'mar').slice(0, 3);
  const name = await p95Pair(
    searchSamples,
    (sample) => expectStatus(client, { method: 'POST', url: '/api/v1/contacts/search', body: { name: prefix(sample), limit: pageSize } }, 200),
    async (sample) => {
      // The 14-bit name index over-selects: decrypt candidates and keep true matches, as Candor does.
      const candidates = await sealedLookup('name', prefix(sample), 4 * pageSize);
      return candidates.filter((values) => namesMatchPrefix([values.first_name as string, values.last_name as string], prefix(sample))).slice(0, pageSize);
    },
  );
  const figure = (label: string, latencies: Latencies, baselineIs: string): Figure => ({
    name: label,
    candor: latencies.candor,
    baseline: latencies.baseline,
    unit: 'ms',
    ratio: latencies.candor / latencies.baseline,
    target: null,
    transport: client.transport,
    baselineIs,
    samples: searchSamples,
  });
  return [
    figure(
      'contact search, exact e-mail, p95',
      email,
      `blind index of the address, raw SELECT joining lookup_tokens to contacts and their wrapped keys, unwrap (own cache) and decrypt; p95 of ${searchSamples}`,
    ),
    figure(
      'contact search, name prefix (3 letters, 50 rows), p95',
      name,
      `truncated blind index of the prefix, raw SELECT of up to ${4 * pageSize} candidates with wrapped keys, unwrap (own cache), decrypt, keep the first ${pageSize} true matches; p95 of ${searchSamples}`,
    ),
  ];
}
