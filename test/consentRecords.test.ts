import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace } from '../src/accounts/workspaces.ts';
import { newId } from '../src/db/ids.ts';
import {
  consentHistory,
  listAuditEntries,
  recordConsent,
  recordConsentExpiries,
  recordErasure,
  systemContext,
  wasConsentLive,
  type PurposeContext,
} from '../src/kernel/index.ts';
import { insertContacts } from '../src/kernel/contactRecords.ts';
import { ensureTestKernel } from '../src/kernel/runtime.ts';
import { shredSubjects } from '../src/kernel/vault/index.ts';
import { openTestDatabase, type TestDatabase } from './support/testDatabase.ts';
import { eventsWithoutTheirNotice } from './support/consentLedger.ts';

/*
 * The kernel's writer and readers of the consent ledger (src/kernel/consentRecords.ts): what
 * recordConsent refuses, the expiry it computes, the audit entry it leaves (by pseudonym,
 * without evidence), the history with evidence opened — and unreadable once the subject's
 * key is shredded — and the expiry job's events.
 */

let database: TestDatabase;
let tenantId: string;
let marketing: PurposeContext;
const day = 86_400_000;

beforeAll(async () => {
  ensureTestKernel();
  database = await openTestDatabase();
  tenantId = (await createWorkspace(database.db, { slug: 'consent-records', name: 'Consent records' })).id;
  marketing = { tenantId, actor: { type: 'user', id: newId(), role: 'marketing' }, purpose: 'email_marketing' };
  await database.query("update purposes set consent_validity_days = 365 where tenant_id = $1 and key = 'email_marketing'", [tenantId]);
});
afterAll(() => database.close());

async function createContact(): Promise<string> {
  const id = newId();
  await insertContacts(database.db, systemContext(tenantId, 'consent-test', 'sales'), [
    { id, ownerId: null, companyId: null, lifecycleStage: 'lead', source: 'api', personal: {} },
  ]);
  return id;
}

const evidence = { formId: 'newsletter-footer', ipHash: 'k:8f2c1a', note: 'ticked the box on the footer form' };

/** E-mail marketing consent given on the footer form, with its evidence. */
const giveFormConsent = (contactId: string) =>
  recordConsent(database.db, marketing, { subjectId: contactId, purposeKey: 'email_marketing', state: 'given', channel: 'form', evidence });

describe('recordConsent', () => {
  it('appends the event, moves the state, computes the expiry from the purpose, and audits it by pseudonym without evidence', async () => {
    const contactId = await createContact();
    const given = await giveFormConsent(contactId);
    expect(given).toMatchObject({ subjectId: contactId, state: 'given', channel: 'form', dpvStatus: 'https://w3id.org/dpv#ConsentGiven', evidence });
    expect(given.expiresAt!.getTime() - given.recordedAt.getTime()).toBe(365 * day);
    expect(given.actor).toBe(`user:${marketing.actor.id}`);
    expect(await wasConsentLive(database.db, tenantId, contactId, 'email_marketing', new Date())).toBe(true);

    const entry = (await listAuditEntries(database.db, tenantId, { limit: 1000 })).at(-1);
    expect(entry).toMatchObject({ action: 'consent.given', object: 'contact', detail: { purposeKey: 'email_marketing', channel: 'form' } });
    expect(entry!.subjectPseudonyms).toHaveLength(1);
    const text = JSON.stringify(entry);
    for (const value of Object.values(evidence)) expect(text).not.toContain(value);
    expect(text).not.toContain(contactId);

    const withdrawn = await recordConsent(database.db, marketing, {
      subjectId: contactId,
      purposeKey: 'email_marketing',
      state: 'withdrawn',
      channel: 'staff',
    });
    expect(withdrawn).toMatchObject({ expiresAt: null, evidence: null, dpvStatus: 'https://w3id.org/dpv#ConsentWithdrawn' });
    expect(await wasConsentLive(database.db, tenantId, contactId, 'email_marketing', new Date())).toBe(false);
    // Before the withdrawal it was live: the point-in-time question reads the ledger.
    expect(await wasConsentLive(database.db, tenantId, contactId, 'email_marketing', new Date(withdrawn.recordedAt.getTime() - 1))).toBe(true);
    const [state] = await database.query<{ state: string; last_event_id: string }>(
      "select state, last_event_id from consent_states where tenant_id = $1 and subject_id = $2 and purpose_key = 'email_marketing'",
      [tenantId, contactId],
    );
    expect(state).toEqual({ state: 'withdrawn', last_event_id: withdrawn.id });
  });

  it('refuses an unknown subject (404), an ungranted role (403), and a purpose, state, expiry or time the ledger cannot take (422 naming the field)', async () => {
    const contactId = await createContact();
    const record = (ctx: PurposeContext, input: Partial<Parameters<typeof recordConsent>[2]>) =>
      recordConsent(database.db, ctx, { subjectId: contactId, purposeKey: 'email_marketing', state: 'given', channel: 'staff', ...input });
    await expect(record(marketing, { subjectId: newId() })).rejects.toMatchObject({ code: 'not_found' });
    await expect(record({ ...marketing, actor: { type: 'user', id: newId(), role: 'sales' } }, {})).rejects.toMatchObject({ code: 'purpose_not_granted' });
    const issue = (field: string) => ({ code: 'validation_failed', issues: [expect.objectContaining({ field })] });
    await expect(record(marketing, { purposeKey: 'telepathy' })).rejects.toMatchObject(issue('purposeKey'));
    await expect(record(marketing, { purposeKey: 'sales' })).rejects.toMatchObject(issue('purposeKey'));
    await expect(record(marketing, { state: 'withdrawn', expiresAt: new Date(Date.now() + day) })).rejects.toMatchObject(issue('expiresAt'));
    await expect(record(marketing, { recordedAt: new Date(Date.now() + day) })).rejects.toMatchObject(issue('recordedAt'));
    await expect(record(marketing, { noticeVersion: 0 })).rejects.toMatchObject(issue('noticeVersion'));
    // A version the purpose's notice never had: refused by the statement that would append it, which writes nothing.
    await expect(record(marketing, { noticeVersion: 99 })).rejects.toMatchObject(issue('noticeVersion'));
    // An opt-out of sale or sharing may name a purpose on any basis.
    // …by a role granted that purpose too.
    await expect(record(marketing, { purposeKey: 'sales', state: 'opted_out', channel: 'gpc' })).rejects.toMatchObject({
      code: 'purpose_not_granted',
      issues: [expect.objectContaining({ field: 'purposeKey' })],
    });
    const gpc = systemContext(tenantId, 'gpc', 'email_marketing');
    await expect(record(gpc, { purposeKey: 'sales', state: 'opted_out', channel: 'gpc' })).resolves.toMatchObject({ state: 'opted_out', actor: 'system:gpc' });
    const [row] = await database.query<{ n: number }>('select count(*)::int as n from consent_events where tenant_id = $1 and subject_id = $2', [
      tenantId,
      contactId,
    ]);
    expect(row!.n).toBe(1);
  });
});

describe('consent history and erasure', () => {
  it('reads the history with evidence opened, and once the subject is erased keeps the facts but not the evidence', async () => {
    const contactId = await createContact();
    const past = new Date(Date.now() - 10 * day);
    await recordConsent(database.db, marketing, {
      subjectId: contactId,
      purposeKey: 'email_marketing',
      state: 'given',
      channel: 'widget',
      evidence,
      recordedAt: past,
      noticeVersion: 1,
    });
    await recordConsent(database.db, marketing, {
      subjectId: contactId,
      purposeKey: 'email_marketing',
      state: 'renewed',
      channel: 'email_link',
      evidence: { linkId: 'l-1' },
    });
    const history = await consentHistory(database.db, marketing, contactId);
    expect(history.map((event) => [event.state, event.channel, event.evidence])).toEqual([
      ['given', 'widget', evidence],
      ['renewed', 'email_link', { linkId: 'l-1' }],
    ]);
    const [notice] = await database.query<{ content_hash: string }>(
      "select content_hash from purpose_notices where tenant_id = $1 and purpose_key = 'email_marketing' and version = 1",
      [tenantId],
    );
    // The hash comes from the notice itself, whatever the channel said.
    expect(history[0]).toMatchObject({ recordedAt: past, noticeVersion: 1, noticeHash: notice!.content_hash });
    const [stored] = await database.query<{ evidence: string }>('select evidence from consent_events where tenant_id = $1 and id = $2', [
      tenantId,
      history[0]!.id,
    ]);
    expect(stored!.evidence).not.toContain(evidence.formId);

    const rights = systemContext(tenantId, 'consent-test', 'legal_compliance');
    await recordErasure(database.db, rights, contactId);
    await database.db.transaction((tx) => shredSubjects(tx, tenantId, [contactId]));
    const erased = await consentHistory(database.db, marketing, contactId);
    expect(erased.map((event) => [event.state, event.evidence, event.evidenceWithheld])).toEqual([
      ['given', null, 'erased'],
      ['renewed', null, 'erased'],
    ]);
    await expect(
      recordConsent(database.db, marketing, { subjectId: contactId, purposeKey: 'email_marketing', state: 'given', channel: 'staff' }),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(consentHistory(database.db, marketing, newId())).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('consent evidence integrity', () => {
  it('refuses evidence copied onto another event with integrity_error, never passing it on', async () => {
    const contactId = await createContact();
    const given = await giveFormConsent(contactId);
    // The ledger takes no UPDATE: a forger can only append an event carrying a copied seal.
    await database.query(
      `insert into consent_events (tenant_id, id, subject_id, purpose_key, state, recorded_at, channel, evidence, actor)
       select tenant_id, $3, subject_id, purpose_key, 'refused', now(), channel, evidence, actor from consent_events where tenant_id = $1 and id = $2`,
      [tenantId, given.id, newId()],
    );
    await expect(consentHistory(database.db, marketing, contactId)).rejects.toMatchObject({ code: 'integrity_error', issues: [{ field: 'evidence' }] });
  });
});

describe('consent expiry', () => {
  it('stops counting at the expiry time by itself, and the job records the expiry once, at that time', async () => {
    const contactId = await createContact();
    const expiresAt = new Date(Date.now() - day);
    await recordConsent(database.db, marketing, {
      subjectId: contactId,
      purposeKey: 'email_marketing',
      state: 'given',
      channel: 'import',
      recordedAt: new Date(Date.now() - 3 * day),
      expiresAt,
    });
    expect(await wasConsentLive(database.db, tenantId, contactId, 'email_marketing', new Date())).toBe(false);
    expect(await wasConsentLive(database.db, tenantId, contactId, 'email_marketing', new Date(Date.now() - 2 * day))).toBe(true);

    const first = await recordConsentExpiries(database);
    expect(first.byTenant.get(tenantId)?.map((event) => event.subjectId)).toContain(contactId);
    const again = await recordConsentExpiries(database);
    expect(again.byTenant.get(tenantId)?.map((event) => event.subjectId) ?? []).not.toContain(contactId);
    const history = await consentHistory(database.db, marketing, contactId);
    expect(history.map((event) => event.state)).toEqual(['given', 'expired']);
    expect(history[1]).toMatchObject({ recordedAt: expiresAt, channel: 'import', actor: 'system:consent-expiry', noticeVersion: 1 });
    expect(await eventsWithoutTheirNotice(database, tenantId, contactId)).toEqual({ recorded: 2, unstamped: 0 });
    const audit = (await listAuditEntries(database.db, tenantId, { limit: 1000 })).filter((entry) => entry.action === 'consent.expired');
    expect(audit.length).toBeGreaterThanOrEqual(1);
  });
});
