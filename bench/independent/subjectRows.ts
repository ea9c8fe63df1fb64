import { auditPseudonym, openAll, openField, unwrapKey } from './crypto.ts';
import type { KeySource, RawRows, SealedContact } from './sealedReads.ts';

/*
 * The access-export baseline, independent of Candor's code: the rows held on one contact
 * read with raw SELECTs straight through the driver — the contact with its wrapped key, its
 * events, consent events, deals, purchases with their lines, linked activities, merged
 * visitors, restrictions, objections and the audit entries that name the subject (found by
 * its pseudonym, derived from its key as Candor derives it) — the key unwrapped and every
 * sealed value opened with node:crypto, and the whole serialised as JSON. What it leaves out
 * (Candor does it on top): the Art. 15 context, sealing and storing the file, and auditing.
 */

type SealedEvent = { id: string; type: string; occurred_at: unknown; received_at: unknown; properties: { properties?: string } };

export async function readSubjectRows(query: RawRows, keys: KeySource, tenantId: string, contactId: string): Promise<string> {
  const [contact] = await query<SealedContact>(
    `select c.id, c.personal, k.subject_id, k.key_version, k.epoch, k.wrapped_key
     from contacts c join subject_keys k on k.tenant_id = c.tenant_id and k.subject_id = c.id
     where c.tenant_id = $1 and c.id = $2`,
    [tenantId, contactId],
  );
  if (!contact) throw new Error('baseline: no such contact');
  const epochKey = await keys.getEpochKey(tenantId, contact.epoch);
  if (!epochKey) throw new Error(`epoch key ${contact.epoch} is missing`);
  const subjectKey = unwrapKey(epochKey, tenantId, contact);
  const events = await query<SealedEvent>(
    'select id, type, occurred_at, received_at, properties from events where tenant_id = $1 and contact_id = $2 order by occurred_at, id',
    [tenantId, contactId],
  );
  const same = [tenantId, contactId];
  const rest = {
    consents: await query('select * from consent_events where tenant_id = $1 and subject_id = $2 order by recorded_at, id', same),
    deals: await query(
      'select d.* from deal_contacts dc join deals d on d.tenant_id = dc.tenant_id and d.id = dc.deal_id where dc.tenant_id = $1 and dc.contact_id = $2',
      same,
    ),
    purchases: await query(
      'select p.*, (select json_agg(l) from purchase_lines l where l.tenant_id = p.tenant_id and l.purchase_id = p.id) as lines from purchases p where p.tenant_id = $1 and p.contact_id = $2',
      same,
    ),
    activities: await query(
      "select a.* from activity_links l join activities a on a.tenant_id = l.tenant_id and a.id = l.activity_id where l.tenant_id = $1 and l.object = 'contact' and l.record_id = $2",
      same,
    ),
    visitors: await query('select * from visitors where tenant_id = $1 and merged_into_contact_id = $2', same),
    restrictions: await query('select * from restrictions where tenant_id = $1 and subject_id = $2', same),
    objections: await query('select * from objections where tenant_id = $1 and subject_id = $2', same),
    trail: await query(
      `select e.* from audit_subjects s join audit_entries e on e.tenant_id = s.tenant_id and e.sequence = s.sequence
       where s.tenant_id = $1 and s.pseudonym = $2 order by s.sequence limit 10000`,
      [tenantId, auditPseudonym(subjectKey, contact.key_version, tenantId, contactId)],
    ),
  };
  return JSON.stringify({
    fields: openAll(subjectKey, tenantId, contactId, contact.personal),
    events: events.map((event) => ({
      id: event.id,
      type: event.type,
      occurredAt: event.occurred_at,
      receivedAt: event.received_at,
      properties: event.properties.properties ? openField(subjectKey, tenantId, contactId, `properties:${event.id}`, event.properties.properties) : null,
    })),
    ...rest,
  });
}
