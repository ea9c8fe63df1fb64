import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declarationOf, workspaceCatalog } from '../src/kernel/catalog/index.ts';
import { defaultRoleGrants } from '../src/kernel/policy/index.ts';
import { createTestApp, errorFields, type TestApp, type TestWorkspace } from './support/testApp.ts';

let t: TestApp;
let workspace: TestWorkspace;

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
});
afterAll(() => t.close());

type AuditEntry = { action: string; object: string | null; detail: Record<string, unknown> };

const newsletter = {
  key: 'partner_newsletter',
  description: 'Sending our partners’ offers to people who asked for them.',
  legalBasis: 'consent',
  dataUse: 'marketing.communications.email',
  retentionDays: 365,
};

const create = (payload: Record<string, unknown>, key = workspace.keys.admin) => t.request(key, { method: 'POST', url: '/api/v1/purposes', payload });
const patch = (purpose: string, payload: Record<string, unknown>, version: number | null, key = workspace.keys.admin) =>
  t.request(key, { method: 'PATCH', url: `/api/v1/purposes/${purpose}`, payload, headers: version === null ? {} : { 'if-match': `"${version}"` } });

async function purposeAudit(action: string): Promise<AuditEntry[]> {
  const response = await t.request(workspace.keys.admin, { method: 'GET', url: '/api/v1/audit?limit=200' });
  return (response.json().data as AuditEntry[]).filter((entry) => entry.action === action);
}

async function grantedRoles(purpose: string): Promise<string[]> {
  const rows = await t.database.query<{ role: string }>('select role from role_purpose_grants where tenant_id = $1 and purpose_key = $2 order by role', [
    workspace.id,
    purpose,
  ]);
  return rows.map((row) => row.role);
}

describe('listing purposes', () => {
  it('shows every purpose with its legal basis as DPV terms, to every role', async () => {
    const response = await t.request(workspace.keys.analyst, { method: 'GET', url: '/api/v1/purposes' });
    expect(response.statusCode).toBe(200);
    const purposes = response.json().data as Array<Record<string, unknown>>;
    expect(purposes.find((purpose) => purpose.key === 'email_marketing')).toMatchObject({
      legalBasis: 'consent',
      legalBasisTerms: { article: '6(1)(a)', dpv: 'dpv:Consent', gdpr: 'eu-gdpr:A6-1-a' },
      dataUse: 'marketing.communications.email',
      version: 1,
    });
    expect(purposes.find((purpose) => purpose.key === 'legal_compliance')).toMatchObject({
      legalBasisTerms: { dpv: 'dpv:LegalObligation', gdpr: 'eu-gdpr:A6-1-c' },
    });
  });
});

describe('creating a purpose', () => {
  it('creates it with its DPV term, grants it to the roles whose work it is, and audits it', async () => {
    const response = await create(newsletter);
    expect(response.statusCode).toBe(201);
    expect(response.headers.etag).toBe('"1"');
    expect(response.json().data).toEqual({
      ...newsletter,
      legalBasisTerms: { article: '6(1)(a)', dpv: 'dpv:Consent', gdpr: 'eu-gdpr:A6-1-a' },
      // A consent purpose's period counts from the consent's end unless it names another anchor.
      retentionAnchor: 'consent_withdrawal',
      retentionAction: 'erase',
      consentValidityDays: null,
      version: 1,
    });
    const expectedRoles = defaultRoleGrants([{ key: newsletter.key, legalBasis: 'consent', dataUse: newsletter.dataUse }])
      .map((grant) => grant.role)
      .sort();
    expect(expectedRoles).toEqual(['admin', 'marketing', 'privacy_officer']);
    expect([...response.json().grantedRoles].sort()).toEqual(expectedRoles);
    expect(await grantedRoles(newsletter.key)).toEqual(expectedRoles);

    const listed = await t.request(workspace.keys.sales, { method: 'GET', url: '/api/v1/purposes' });
    expect(listed.json().data.map((purpose: { key: string }) => purpose.key)).toContain(newsletter.key);
    expect((await purposeAudit('purpose.created')).at(-1)).toMatchObject({
      object: 'purpose',
      detail: { purpose: newsletter.key, legalBasis: 'consent', dataUse: newsletter.dataUse, retentionDays: 365 },
    });
  });

  it('lets two purposes share one data use on different legal bases', async () => {
    const response = await create({ ...newsletter, key: 'partner_newsletter_customers', legalBasis: 'legitimate_interests' });
    expect(response.statusCode).toBe(201);
    expect(response.json().data.legalBasisTerms).toEqual({ article: '6(1)(f)', dpv: 'dpv:LegitimateInterest', gdpr: 'eu-gdpr:A6-1-f' });
  });

  it('makes the new purpose usable in the data catalog', async () => {
    const response = await t.request(workspace.keys.admin, {
      method: 'PUT',
      url: '/api/v1/catalog/contact/email',
      payload: { purposes: ['sales', newsletter.key] },
    });
    expect(response.statusCode).toBe(200);
    expect(declarationOf(await workspaceCatalog(t.database.db, workspace.id), 'contact', 'email')?.purposes).toEqual(['sales', newsletter.key]);
  });

  it('refuses a data use outside fideslang, a bad key, a second legal basis and a taken key, naming the field', async () => {
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ ...newsletter, key: 'x_use', dataUse: 'marketing.telepathy' }, 422, 'dataUse'],
      [{ ...newsletter, key: 'Bad Key' }, 422, 'key'],
      [{ ...newsletter, key: 'x_basis', legalBasis: 'because' }, 422, 'legalBasis'],
      [{ ...newsletter, key: 'x_two', legalBasis: ['consent', 'contract'] }, 422, 'legalBasis'],
      [{ ...newsletter, key: 'x_none', legalBasis: undefined }, 422, 'legalBasis'],
      [{ ...newsletter, key: 'x_retention', retentionDays: 0 }, 422, 'retentionDays'],
      [newsletter, 409, 'key'],
    ];
    for (const [payload, status, field] of cases) {
      const response = await create(payload);
      expect({ key: payload.key, status: response.statusCode }).toEqual({ key: payload.key, status });
      expect(errorFields(response.json())).toContain(field);
    }
    expect((await create({ ...newsletter, key: 'x_use', dataUse: 'marketing.telepathy' })).json().errors[0].reason).toMatch(/fideslang data use/);
    const created = await t.database.query<{ key: string }>("select key from purposes where tenant_id = $1 and key like 'x\\_%'", [workspace.id]);
    expect(created).toEqual([]);
  });

  it('lets only admins and privacy officers create purposes', async () => {
    for (const role of ['sales', 'support', 'marketing', 'analyst'] as const) {
      expect({ role, status: (await create({ ...newsletter, key: `by_${role}` }, workspace.keys[role])).statusCode }).toEqual({ role, status: 403 });
    }
    expect((await create({ ...newsletter, key: 'by_officer', dataUse: 'analytics.reporting' }, workspace.keys.privacy_officer)).statusCode).toBe(201);
    expect(await grantedRoles('by_officer')).toEqual(['admin', 'analyst', 'marketing', 'privacy_officer']);
  });
});

describe('changing a purpose', () => {
  it('changes description, data use and retention under If-Match and audits before and after', async () => {
    const response = await patch(newsletter.key, { retentionDays: 180, dataUse: 'marketing.communications' }, 1);
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"2"');
    expect(response.json().data).toMatchObject({ retentionDays: 180, dataUse: 'marketing.communications', legalBasis: 'consent', version: 2 });
    expect((await purposeAudit('purpose.changed')).at(-1)).toMatchObject({
      detail: {
        purpose: newsletter.key,
        changed: ['dataUse', 'retentionDays'],
        retentionDaysBefore: 365,
        retentionDaysAfter: 180,
        dataUseBefore: 'marketing.communications.email',
        dataUseAfter: 'marketing.communications',
      },
    });
  });

  it('requires If-Match and refuses a stale one', async () => {
    expect((await patch(newsletter.key, { retentionDays: 90 }, null)).statusCode).toBe(428);
    const stale = await patch(newsletter.key, { retentionDays: 90 }, 1);
    expect(stale.statusCode).toBe(412);
    expect(stale.json().currentEtag).toBe('"2"');
  });

  it('keeps the legal basis its data was collected under and validates the data use', async () => {
    const basis = await patch(newsletter.key, { legalBasis: 'legitimate_interests' }, 2);
    expect(basis.statusCode).toBe(422);
    expect(errorFields(basis.json())).toEqual(['legalBasis']);
    expect(basis.json().errors[0].reason).toMatch(/new purpose/);
    const use = await patch(newsletter.key, { dataUse: 'marketing.telepathy' }, 2);
    expect(errorFields(use.json())).toEqual(['dataUse']);
    expect((await patch(newsletter.key, { legalBasis: 'consent', description: 'Partner offers, by consent.' }, 2)).statusCode).toBe(200);
  });

  it('answers 404 for a purpose the workspace does not have, and 403 to roles that may not manage purposes', async () => {
    expect((await patch('no_such_purpose', { retentionDays: 10 }, 1)).statusCode).toBe(404);
    for (const role of ['sales', 'support', 'marketing', 'analyst'] as const) {
      expect({ role, status: (await patch(newsletter.key, { retentionDays: 10 }, 3, workspace.keys[role])).statusCode }).toEqual({ role, status: 403 });
    }
  });
});
