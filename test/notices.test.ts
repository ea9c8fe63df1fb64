import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/db/ids.ts';
import { defaultPurposes } from '../src/privacy/defaultPurposes.ts';
import { minimumLiveNoticeVersion } from '../src/kernel/index.ts';
import { publishedNotice } from '../src/privacy/notices/notices.ts';
import { openTestDatabase } from './support/testDatabase.ts';
import { createTestApp, errorFields, type TestApp, type TestWorkspace } from './support/testApp.ts';

// Purpose notices through the API, on PGlite and (TEST_DATABASE_URL) PostgreSQL: the seeded
// version 1, the draft → publish flow, immutability in the database itself, and the notice
// requirement the consent ledger will consult.

let t: TestApp;
let workspace: TestWorkspace;

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
});
afterAll(() => t.close());

type NoticeView = {
  purposeKey: string;
  version: number;
  status: string;
  title: string;
  bodyMarkdown: string;
  contentHash: string;
  material: boolean;
  renewalGraceDays: number | null;
  publishedAt: string | null;
  publishedBy: string | null;
  renewBy: string | null;
  revision: number;
  readability: { readingEase: number; grade: number } | null;
};

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const base = (purpose: string) => `/api/v1/purposes/${purpose}/notices`;
const get = (url: string, key = workspace.keys.admin) => t.request(key, { method: 'GET', url });
const putDraft = (purpose: string, payload: Record<string, unknown>, ifMatch: string | null = null, key = workspace.keys.privacy_officer) =>
  t.request(key, { method: 'PUT', url: `${base(purpose)}/draft`, payload, headers: ifMatch === null ? {} : { 'if-match': ifMatch } });
const publish = (purpose: string, payload: Record<string, unknown>, key = workspace.keys.privacy_officer) =>
  t.request(key, { method: 'POST', url: `${base(purpose)}/draft/publish`, payload });
const versions = async (purpose: string) => (await get(base(purpose))).json().data as NoticeView[];
const current = async (purpose: string) => (await get(`${base(purpose)}/current`)).json().data as NoticeView;

async function auditActions(prefix: string): Promise<Array<{ action: string; detail: Record<string, unknown> }>> {
  const response = await t.request(workspace.keys.admin, { method: 'GET', url: `/api/v1/audit?limit=200&action=${prefix}` });
  return response.json().data;
}

describe('the first notice of a purpose', () => {
  it('is version 1, published from the purpose description, for every default purpose of a new workspace', async () => {
    for (const purpose of defaultPurposes) {
      const notice = await current(purpose.key);
      expect(notice).toMatchObject({ version: 1, status: 'published', bodyMarkdown: purpose.description, material: false, renewBy: null });
      expect(notice.contentHash).toBe(sha256(purpose.description));
      expect(notice.readability?.readingEase).toEqual(expect.any(Number));
    }
    expect((await current('email_marketing')).title).toBe('E-mail marketing');
  });

  it('is readable by every role, sales and analysts included', async () => {
    for (const key of [workspace.keys.sales, workspace.keys.analyst]) {
      expect((await get(`${base('web_analytics')}/current`, key)).statusCode).toBe(200);
      expect((await get(base('web_analytics'), key)).statusCode).toBe(200);
    }
  });

  it('is published for a purpose created later, by whoever created it', async () => {
    const created = await t.request(workspace.keys.admin, {
      method: 'POST',
      url: '/api/v1/purposes',
      payload: {
        key: 'event_invitations',
        description: 'Inviting you to our events.',
        legalBasis: 'consent',
        dataUse: 'marketing.communications.email',
        retentionDays: 365,
      },
    });
    expect(created.statusCode).toBe(201);
    const notice = await current('event_invitations');
    expect(notice).toMatchObject({ version: 1, status: 'published', bodyMarkdown: 'Inviting you to our events.', title: 'Event invitations' });
    expect(notice.publishedBy).toMatch(/^api_key:/);
  });

  it('answers 404 for a purpose the workspace does not have', async () => {
    expect((await get(`${base('no_such_purpose')}/current`)).statusCode).toBe(404);
    expect((await putDraft('no_such_purpose', { title: 'X', bodyMarkdown: 'Y.' })).statusCode).toBe(404);
  });
});

describe('drafting and publishing a notice', () => {
  const body = '# Why we write to you\n\nWe send news and offers — only if you say **yes**. Naïve café owners too.';

  it('starts a draft as the next version, with its hash and readability', async () => {
    const response = await putDraft('email_marketing', { title: 'Our newsletter', bodyMarkdown: body });
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"1"');
    const draft = response.json().data as NoticeView;
    expect(draft).toMatchObject({ version: 2, status: 'draft', revision: 1, publishedAt: null });
    expect(draft.contentHash).toBe(sha256(body));
    expect(draft.readability).not.toBeNull();
    expect((await versions('email_marketing')).map((notice) => [notice.version, notice.status])).toEqual([
      [2, 'draft'],
      [1, 'published'],
    ]);
  });

  it('replaces the draft only with If-Match on the revision read', async () => {
    const changed = `${body}\n\nYou can stop them at any time.`;
    const blind = await putDraft('email_marketing', { title: 'Our newsletter', bodyMarkdown: changed });
    expect(blind.statusCode).toBe(412);
    expect(blind.json().currentEtag).toBe('"1"');
    expect((await putDraft('email_marketing', { title: 'Our newsletter', bodyMarkdown: changed }, '"7"')).statusCode).toBe(412);
    const saved = await putDraft('email_marketing', { title: 'Our newsletter', bodyMarkdown: changed }, '"1"');
    expect(saved.statusCode).toBe(200);
    expect(saved.headers.etag).toBe('"2"');
    expect(saved.json().data).toMatchObject({ version: 2, revision: 2, contentHash: sha256(changed) });
  });

  it('is refused to sales and analysts, and leaves the draft as it was', async () => {
    for (const key of [workspace.keys.sales, workspace.keys.analyst]) {
      expect((await putDraft('email_marketing', { title: 'Mine', bodyMarkdown: 'Mine.' }, '"2"', key)).statusCode).toBe(403);
      expect((await publish('email_marketing', { material: false }, key)).statusCode).toBe(403);
      expect((await t.request(key, { method: 'DELETE', url: `${base('email_marketing')}/draft` })).statusCode).toBe(403);
    }
    expect((await versions('email_marketing'))[0]).toMatchObject({ status: 'draft', revision: 2 });
  });

  it('refuses a material change without grace days, with too many, or grace days without a material change (422)', async () => {
    const refusals: Array<Record<string, unknown>> = [
      { material: true },
      { material: true, renewalGraceDays: 366 },
      { material: true, renewalGraceDays: -1 },
      { material: true, renewalGraceDays: 1.5 },
      { material: false, renewalGraceDays: 10 },
    ];
    for (const payload of refusals) {
      const response = await publish('email_marketing', payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(422);
      expect(errorFields(response.json()).join(' ')).toContain('renewalGraceDays');
    }
    expect((await versions('email_marketing'))[0].status).toBe('draft');
  });

  it('publishes the draft as the current notice, retires the one before, and audits it', async () => {
    const response = await publish('email_marketing', { material: false });
    expect(response.statusCode).toBe(200);
    const published = response.json().data as NoticeView;
    expect(published).toMatchObject({ version: 2, status: 'published', material: false, renewBy: null });
    expect(published.publishedBy).toMatch(/^api_key:/);
    expect(await current('email_marketing')).toMatchObject({ version: 2, contentHash: published.contentHash });
    expect((await versions('email_marketing')).map((notice) => [notice.version, notice.status])).toEqual([
      [2, 'published'],
      [1, 'retired'],
    ]);
    const [entry] = (await auditActions('notice.published')).filter((audit) => audit.detail.purpose === 'email_marketing');
    expect(entry.detail).toMatchObject({ version: 2, contentHash: published.contentHash, material: false, retiredVersion: 1 });
    expect((await auditActions('notice.draft_saved')).length).toBeGreaterThanOrEqual(2);
  });

  it('has no draft to publish or discard after publishing (404)', async () => {
    expect((await publish('email_marketing', { material: false })).statusCode).toBe(404);
    expect((await t.request(workspace.keys.privacy_officer, { method: 'DELETE', url: `${base('email_marketing')}/draft` })).statusCode).toBe(404);
  });

  it('discards a draft, and the next draft takes the same version number', async () => {
    expect((await putDraft('support', { title: 'Support', bodyMarkdown: 'We answer your questions.' })).statusCode).toBe(200);
    const discarded = await t.request(workspace.keys.privacy_officer, { method: 'DELETE', url: `${base('support')}/draft`, headers: { 'if-match': '"1"' } });
    expect(discarded.statusCode).toBe(204);
    expect((await versions('support')).map((notice) => notice.status)).toEqual(['published']);
    expect((await putDraft('support', { title: 'Support', bodyMarkdown: 'We help.' })).json().data.version).toBe(2);
  });
});

describe('a published notice in the database', () => {
  const attempt = async (statement: string) => {
    try {
      await t.database.query(statement, [workspace.id]);
      return 'done';
    } catch (error) {
      return String(error);
    }
  };

  it('refuses every change to its words, hash or dates, and its deletion', async () => {
    for (const status of ['published', 'retired']) {
      const row = `tenant_id = $1 and purpose_key = 'email_marketing' and status = '${status}'`;
      expect(await attempt(`update purpose_notices set body_markdown = 'Something else.' where ${row}`)).toContain('immutable');
      expect(await attempt(`update purpose_notices set content_hash = 'x' where ${row}`)).toContain('immutable');
      expect(await attempt(`update purpose_notices set published_at = now() where ${row}`)).toContain('immutable');
      expect(await attempt(`delete from purpose_notices where ${row}`)).toContain('kept');
    }
    expect(
      await attempt(`update purpose_notices set status = 'published' where tenant_id = $1 and purpose_key = 'email_marketing' and status = 'retired'`),
    ).toContain('immutable');
  });

  it('goes with its purpose when the workspace is deleted', async () => {
    const doomed = await t.createWorkspace();
    await t.database.query('delete from workspaces where id = $1', [doomed.id]);
    const [row] = await t.database.query<{ count: number }>('select count(*)::int as count from purpose_notices where tenant_id = $1', [doomed.id]);
    expect(row.count).toBe(0);
  });
});

describe('a material change and the notice requirement', () => {
  it('sets renew_by to publication plus the grace days, and raises the minimum live version only once renew_by has come', async () => {
    await putDraft('web_analytics', { title: 'Web analytics', bodyMarkdown: 'We now also measure how far you scroll.' });
    const published = (await publish('web_analytics', { material: true, renewalGraceDays: 30 })).json().data as NoticeView;
    expect(published).toMatchObject({ version: 2, material: true, renewalGraceDays: 30 });
    const publishedAt = Date.parse(published.publishedAt!);
    const renewBy = Date.parse(published.renewBy!);
    expect(renewBy - publishedAt).toBe(30 * 86_400_000);
    expect(await current('web_analytics')).toMatchObject({ version: 2, renewBy: published.renewBy });

    // What a consent must have been given under to count at each time (0: any version).
    const minimumAt = (time: number) => minimumLiveNoticeVersion(t.database.db, workspace.id, 'web_analytics', new Date(time));
    expect(await publishedNotice(t.database.db, workspace.id, 'web_analytics')).toMatchObject({ version: 2, contentHash: published.contentHash });
    expect(await minimumAt(publishedAt)).toBe(0);
    expect(await minimumAt(renewBy - 1)).toBe(0);
    expect(await minimumAt(renewBy)).toBe(2);

    // A later, non-material version changes the current one, not the minimum.
    await putDraft('web_analytics', { title: 'Web analytics', bodyMarkdown: 'We now also measure how far you scroll. Typo fixed.' });
    const minor = (await publish('web_analytics', { material: false })).json().data as NoticeView;
    expect(await publishedNotice(t.database.db, workspace.id, 'web_analytics')).toMatchObject({ version: 3, contentHash: minor.contentHash });
    expect(await minimumAt(renewBy + 1)).toBe(2);
    expect(await publishedNotice(t.database.db, workspace.id, 'no_such_purpose')).toBeNull();
    expect(await minimumLiveNoticeVersion(t.database.db, workspace.id, 'no_such_purpose', new Date())).toBe(0);
  });

  it('with zero grace days, stops older consents counting at once', async () => {
    await putDraft('order_fulfilment', { title: 'Orders', bodyMarkdown: 'We share your address with the courier.' });
    const published = (await publish('order_fulfilment', { material: true, renewalGraceDays: 0 })).json().data as NoticeView;
    expect(published.renewBy).toBe(published.publishedAt);
    expect(await minimumLiveNoticeVersion(t.database.db, workspace.id, 'order_fulfilment', new Date(Date.parse(published.publishedAt!)))).toBe(2);
  });
});

describe('the migration that adds notices', () => {
  it('publishes version 1 of every existing purpose from its description', async () => {
    const migrations = readMigrationFiles({ migrationsFolder: fileURLToPath(new URL('../src/db/migrations', import.meta.url)) });
    const noticesMigration = migrations.findIndex((migration) => migration.sql.some((statement) => /CREATE TABLE "purpose_notices"/.test(statement)));
    expect(noticesMigration).toBeGreaterThan(0);
    const database = await openTestDatabase({ migrate: false });
    try {
      const apply = async (from: number, to: number) => {
        for (const migration of migrations.slice(from, to)) for (const statement of migration.sql) await database.exec(statement);
      };
      await apply(0, noticesMigration);
      const tenantId = newId();
      const description = 'Sending newsletters to people who asked — “naïvely” or not.';
      await database.query(`insert into workspaces (id, slug, name) values ($1, $2, 'Before notices')`, [tenantId, `before-${tenantId.slice(0, 8)}`]);
      await database.query(`insert into purposes (tenant_id, key, description, legal_basis, data_use) values ($1, 'email_news', $2, 'consent', 'marketing')`, [
        tenantId,
        description,
      ]);
      await apply(noticesMigration, noticesMigration + 1);
      const rows = await database.query<{ version: number; status: string; title: string; body_markdown: string; content_hash: string }>(
        'select version, status, title, body_markdown, content_hash from purpose_notices where tenant_id = $1',
        [tenantId],
      );
      expect(rows).toEqual([{ version: 1, status: 'published', title: 'E-mail news', body_markdown: description, content_hash: sha256(description) }]);
    } finally {
      await database.close();
    }
  });
});
