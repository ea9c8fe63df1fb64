import { newId } from '../src/db/ids.ts';
import { demoContactAt, demoEventAt } from '../src/crm/seed/demoData.ts';
import { indexFromKey } from '../src/crm/seed/keys.ts';
import { systemContext } from '../src/kernel/accessContext.ts';
import { insertContacts, type NewContact } from '../src/kernel/contactRecords.ts';
import type { BenchEnvironment } from './benchEnvironment.ts';

/** Realistic synthetic data from the demo generators, so sizes and shapes match the demo. */

export const benchSeed = 20_250_601;

export type SeededContacts = { ids: string[]; contacts: NewContact[] };

/** A contact as the API takes it (POST /contacts, a batch item's data). */
export const contactApiBody = ({ personal, lifecycleStage }: NewContact) => ({
  firstName: personal.first_name,
  lastName: personal.last_name,
  email: personal.email,
  phone: personal.phone,
  jobTitle: personal.job_title,
  city: personal.city,
  country: personal.country,
  lifecycleStage,
});

/** A contact's text values, as the independent baselines take them. */
export const plainContactOf = (contact: NewContact): Record<string, string> =>
  Object.fromEntries(Object.entries(contact.personal).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));

export function contactAt(index: number): NewContact {
  const demo = demoContactAt(benchSeed, index, 0);
  return {
    id: newId(),
    ownerId: null,
    companyId: null,
    lifecycleStage: demo.lifecycleStage,
    source: demo.source,
    createdAt: demo.createdAt,
    personal: {
      first_name: demo.firstName,
      last_name: demo.lastName,
      email: demo.email,
      phone: demo.phone,
      job_title: demo.jobTitle,
      city: demo.city,
      country: demo.country,
    },
  };
}

/** Contacts stored through the kernel's bulk path (as `candor seed` does), not measured. */
export async function seedContacts(env: BenchEnvironment, count: number, firstIndex = 0): Promise<SeededContacts> {
  const contacts = Array.from({ length: count }, (_, offset) => contactAt(firstIndex + offset));
  await env.database.db.transaction((tx) => insertContacts(tx, systemContext(env.tenantId, 'bench', 'sales'), contacts));
  return { ids: contacts.map((contact) => contact.id), contacts };
}

export type ApiEvent = { type: string; occurredAt: string; contactId?: string; anonymousId?: string; properties: Record<string, string> };

/** Events as a client sends them: ~70% from known contacts, ~30% from anonymous visitors. */
export function eventBatch(contactIds: readonly string[], batch: number, size: number): ApiEvent[] {
  return Array.from({ length: size }, (_, offset) => {
    const demo = demoEventAt(benchSeed, batch * size + offset, contactIds.length);
    const subject = demo.contactKey ? { contactId: contactIds[indexFromKey(demo.contactKey)] } : { anonymousId: demo.anonymousId ?? 'anonymous' };
    return { type: demo.type, occurredAt: demo.occurredAt.toISOString(), ...subject, properties: { ...demo.properties } as Record<string, string> };
  });
}
