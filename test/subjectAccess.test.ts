import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../src/db/ids.ts';
import {
  listAuditEntries,
  openSubjectAccess,
  recordErasure,
  recordObjection,
  recordRestriction,
  subjectAccessAction,
  systemContext,
  type PurposeContext,
} from '../src/kernel/index.ts';
import { defineAccessCustomField, seedAccessSubject, type SeededSubject } from './support/accessSubjects.ts';
import { createTestApp, type TestApp, type TestWorkspace } from './support/testApp.ts';

// The kernel's subject access read (src/kernel/subjectAccess.ts) over two look-alike subjects.

let t: TestApp;
let workspace: TestWorkspace;
let jane: SeededSubject;
let janeToo: SeededSubject;
const controllerUrl = 'https://candor.example';

const officer = (tenantId: string, purpose = 'dsr_fulfilment'): PurposeContext => ({
  tenantId,
  actor: { type: 'user', id: newId(), role: 'privacy_officer' },
  purpose,
});

beforeAll(async () => {
  t = await createTestApp();
  workspace = await t.createWorkspace();
  await defineAccessCustomField(t, workspace);
  jane = await seedAccessSubject(t, workspace, 'jane.doe');
  janeToo = await seedAccessSubject(t, workspace, 'jane.doe1');
});
afterAll(() => t?.close());

describe('openSubjectAccess', () => {
  it('holds every seeded record of its subject and nothing of the look-alike', async () => {
    for (const [subject, other] of [
      [jane, janeToo],
      [janeToo, jane],
    ] as const) {
      const access = await openSubjectAccess(t.database.db, officer(workspace.id), subject.contactId, { controllerUrl });
      const text = JSON.stringify(access);
      expect(access.fields.find((field) => field.field === 'email')?.value).toBe(subject.email);
      expect(access.fields.find((field) => field.field === 'loyalty_code')).toMatchObject({ value: `loyal-${subject.marker}`, custom: true });
      expect(access.deals.map((deal) => deal.id)).toEqual([subject.dealId]);
      expect(access.purchases.map((purchase) => [purchase.id, purchase.orderNumber, purchase.lines[0]?.name])).toEqual([
        [subject.purchaseId, subject.orderNumber, `Item ${subject.marker}`],
      ]);
      expect(access.activities).toMatchObject([{ id: subject.noteId, subject: `Note ${subject.marker}`, body: `Body ${subject.marker}`, otherPeople: 0 }]);
      expect(access.events.map((event) => event.properties?.url)).toEqual([`https://shop.example/${subject.marker}`]);
      expect(access.consents.map((consent) => consent.purposeKey).sort()).toEqual(['email_marketing', 'web_analytics']);
      expect(access.consents.every((consent) => typeof consent.receipt === 'string' && consent.receipt.split('.').length === 3)).toBe(true);
      // Every marker of the subject is there (city, custom field, deal, order, line, note, event).
      expect(text.split(subject.marker).length - 1).toBeGreaterThanOrEqual(8);
      for (const foreign of [other.marker, other.contactId, other.dealId, other.purchaseId, other.noteId, other.email]) expect(text).not.toContain(foreign);
    }
  });

  it("shows in the subject's trail the reads of their deal, purchase and note, for which purpose", async () => {
    const access = await openSubjectAccess(t.database.db, officer(workspace.id), jane.contactId, { controllerUrl });
    const reads = (action: string, id: string) => access.trail.filter((entry) => entry.action === action && entry.recordIds.includes(id));
    // The staff member's GET of each (a create also reads its record back).
    expect(reads('deal.read', jane.dealId).at(-1)).toMatchObject({ purpose: 'sales', object: 'deal', actorType: 'api_key' });
    expect(reads('purchase.read', jane.purchaseId).at(-1)).toMatchObject({ purpose: 'sales', object: 'purchase' });
    expect(reads('activity.read', jane.noteId).at(-1)).toMatchObject({ purpose: 'sales', object: 'activity', fields: ['body', 'subject'] });
    expect(access.trail.some((entry) => entry.action === 'contact.created')).toBe(true);
  });

  it('reads past restriction and objection, is audited under its own action, and finds nothing once the subject is erased', async () => {
    const staff = systemContext(workspace.id, 'access-test', 'sales');
    await recordRestriction(t.database.db, staff, janeToo.contactId);
    await recordObjection(t.database.db, staff, janeToo.contactId, { purposeKey: 'sales' });
    const access = await openSubjectAccess(t.database.db, officer(workspace.id), janeToo.contactId, { controllerUrl });
    expect(access.fields.find((field) => field.field === 'email')?.value).toBe(janeToo.email);
    expect(access.restrictions).toHaveLength(1);
    expect(access.objections).toMatchObject([{ purposeKey: 'sales' }]);
    const entries = await listAuditEntries(t.database.db, workspace.id, { limit: 10_000 });
    const own = entries.filter((entry) => entry.action === subjectAccessAction && entry.decision === 'allow');
    expect(own.length).toBeGreaterThan(0);
    expect(own.at(-1)!.purpose).toBe('dsr_fulfilment');

    await recordErasure(t.database.db, staff, janeToo.contactId);
    await expect(openSubjectAccess(t.database.db, officer(workspace.id), janeToo.contactId, { controllerUrl })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('is refused for any other purpose and for a role without the grant', async () => {
    await expect(openSubjectAccess(t.database.db, officer(workspace.id, 'sales'), jane.contactId, { controllerUrl })).rejects.toMatchObject({
      code: 'forbidden',
    });
    const seller: PurposeContext = { tenantId: workspace.id, actor: { type: 'user', id: newId(), role: 'sales' }, purpose: 'dsr_fulfilment' };
    await expect(openSubjectAccess(t.database.db, seller, jane.contactId, { controllerUrl })).rejects.toMatchObject({ code: 'purpose_not_granted' });
  });
});
