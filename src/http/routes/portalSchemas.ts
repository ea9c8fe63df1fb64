import { z } from 'zod';
import { nameComponent, uuid } from '../openapi/components.ts';

// The answers of the customer privacy portal's self-service routes (portalSelfService.ts).

const personalValue = z.unknown().describe('The stored value, as held');

const portalFieldSchema = z.object({
  field: z.string().describe('The data catalog name of the field'),
  label: z.string(),
  value: personalValue,
  category: z.string().nullable().describe('The fideslang data category, when the field is declared'),
  purposes: z.array(z.string()).describe('The purposes the field is declared for'),
});

export const portalConsentEventSchema = z.object({
  id: uuid,
  purposeKey: z.string(),
  state: z.string().describe('given, refused, withdrawn, expired, renewed or opted_out'),
  channel: z.string().describe('How it reached us: form, widget, portal, import, api, staff, email_link, gpc, tcf'),
  recordedAt: z.string(),
  expiresAt: z.string().nullable(),
  noticeVersion: z.number().int().nullable(),
  receipt: z.string().nullable().describe('The signed consent receipt (Kantara v1.1 as a JWS); POST /api/v1/consent-receipts/verify checks it'),
});
nameComponent(portalConsentEventSchema, 'PortalConsentEvent', 'One event of the signed-in person’s consent ledger, with its receipt');

const portalConsentSchema = portalConsentEventSchema.extend({ live: z.boolean().describe('Whether consent counts now (given or renewed, and unexpired)') });

const trailEntrySchema = z.object({
  occurredAt: z.string(),
  action: z.string(),
  purpose: z.string().nullable(),
  actorType: z.string().describe('user (our staff), api_key (one of our systems) or system (Candor itself, or you through this portal)'),
  decision: z.string(),
  fields: z.array(z.string()),
});

export const portalPurposeSchema = z.object({
  key: z.string(),
  label: z.string(),
  legalBasis: z.string(),
  description: z.string(),
  notice: z
    .object({ version: z.number().int(), title: z.string(), markdown: z.string() })
    .nullable()
    .describe('The notice in force; null when none is published'),
  retentionDays: z.number().int().nullable(),
  retention: z.string().describe('How long data is kept for the purpose, in words'),
});
nameComponent(portalPurposeSchema, 'PortalPurpose', 'A purpose of the workspace as the privacy portal shows it');

// The records, as the subject access gives them (the access export holds the same).
const recordList = (description: string) => z.array(z.looseObject({ id: uuid })).describe(description);

export const portalDataSchema = z.object({
  data: z.object({
    known: z.boolean().describe('false: no record is held for the address; every list is empty but purposes'),
    fields: z.array(portalFieldSchema),
    records: z.object({
      deals: recordList('Deals naming you: name, pipeline, stage, amount, dates'),
      purchases: recordList('Your purchases with their lines'),
      activities: recordList('Calls, meetings, notes and tasks about you (how many others each names, not who)'),
      events: recordList('Events recorded about you (page views and the like)'),
      visitors: recordList('Website visitor profiles linked to you'),
    }),
    consents: z.array(portalConsentSchema).describe('The latest word per purpose'),
    consentHistory: z.array(portalConsentEventSchema).describe('Every consent event, oldest first'),
    trail: z.array(trailEntrySchema).describe('Who accessed your data (the kind of actor), when and for which purpose, oldest first'),
    purposes: z.array(portalPurposeSchema),
  }),
});
