import { z } from 'zod';
import { roles } from '../../shared/roles.ts';
import { retentionActions, retentionAnchors } from '../../shared/retentionRules.ts';
import { legalBases, legalBasisTerms, toPolicyPurpose } from '../../kernel/index.ts';
import { changePurpose, createPurpose, maxConsentValidityDays, maxRetentionDays } from '../../privacy/purposeAdministration.ts';
import { listPurposes, type Purpose } from '../../privacy/purposes.ts';
import { requiredIfMatchVersion, setEtag } from '../etag.ts';
import { accessContext, requirePrincipal } from '../principal.ts';
import { routePlugin } from './routePlugin.ts';

const legalBasis = z.enum(legalBases).describe('GDPR Art. 6(1) legal basis: exactly one per purpose');
const retentionAnchor = z
  .enum(retentionAnchors)
  .describe(
    'What the retention period counts from: the last interaction, the last purchase or contract end (an open deal keeps the data), or the withdrawal or expiry of the consent (a live consent keeps it)',
  );
const retentionAction = z
  .enum(retentionActions)
  .describe('What the retention sweep does once no purpose justifies keeping the person: erase, or anonymise (keep the record, drop every personal value)');

export const purposeSchema = z.object({
  key: z.string(),
  description: z.string(),
  legalBasis,
  legalBasisTerms: z
    .object({
      article: z.string().describe('GDPR Art. 6(1) letter'),
      dpv: z.string().describe('W3C DPV class, e.g. dpv:Consent'),
      gdpr: z.string().describe('DPV GDPR extension class, e.g. eu-gdpr:A6-1-a'),
    })
    .describe('The legal basis in the DPV vocabulary (data/dpv/), for exchange with other privacy tools'),
  dataUse: z.string().describe('fideslang data use (data/fideslang/data_uses.json)'),
  retentionDays: z.number().int().nullable(),
  retentionAnchor,
  retentionAction,
  consentValidityDays: z
    .number()
    .int()
    .nullable()
    .describe('Consent purposes: how many days a consent counts once given or renewed (null: until withdrawn). Not retention, which is how long data is kept'),
  version: z.number().int().describe('Send as If-Match: "<version>" to change the purpose'),
});

const purposeCreate = z.strictObject({
  key: z.string().max(63).describe('snake_case; what requests name in Candor-Purpose'),
  description: z.string().max(1000).describe('Plain language: what the data is used for, as a data subject would read it'),
  legalBasis,
  dataUse: z.string().max(200).describe('fideslang data use key, e.g. marketing.communications.email; two purposes may share one'),
  retentionDays: z.number().int().min(1).max(maxRetentionDays).describe('How long data kept for this purpose is retained'),
  retentionAnchor: retentionAnchor.optional().describe('Default: consent_withdrawal for a consent purpose, last_interaction otherwise'),
  retentionAction: retentionAction.optional().describe('Default: erase'),
});

const purposeChange = z
  .strictObject({
    description: z.string().max(1000).optional(),
    legalBasis: legalBasis.optional().describe('Accepted only unchanged: a new basis needs a new purpose'),
    dataUse: z.string().max(200).optional(),
    retentionDays: z.number().int().min(1).max(maxRetentionDays).optional(),
    retentionAnchor: retentionAnchor.optional(),
    retentionAction: retentionAction.optional(),
    consentValidityDays: z.number().int().min(1).max(maxConsentValidityDays).nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'name at least one setting to change');

type PurposeView = z.infer<typeof purposeSchema>;

const view = (row: Purpose): PurposeView => {
  const purpose = toPolicyPurpose(row);
  return {
    key: row.key,
    description: row.description,
    legalBasis: purpose.legalBasis,
    legalBasisTerms: legalBasisTerms(purpose.legalBasis),
    dataUse: row.dataUse,
    retentionDays: row.retentionDays,
    retentionAnchor: row.retentionAnchor,
    retentionAction: row.retentionAction,
    consentValidityDays: row.consentValidityDays,
    version: row.version,
  };
};

export const purposeRoutes = routePlugin(async (app, deps) => {
  const { database } = deps;

  // Needs no purpose: it is how a client finds out which purposes it may name.
  app.get(
    '/purposes',
    {
      schema: {
        operationId: 'listPurposes',
        tags: ['purposes'],
        summary: "The workspace's purposes: why personal data may be processed, and on which legal basis",
        response: { 200: z.object({ data: z.array(purposeSchema) }) },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      return { data: (await listPurposes(database.db, principal.tenantId)).map(view) };
    },
  );

  app.post(
    '/purposes',
    {
      config: { etag: true, problems: ['conflict'] },
      schema: {
        operationId: 'createPurpose',
        tags: ['purposes'],
        summary: 'Create a purpose (admin, privacy officer); the roles whose default rules cover its data use are granted it at once (audited)',
        description:
          'The data use is validated against fideslang and the legal basis is one of GDPR Art. 6(1), shown with its DPV terms. ' +
          'The new purpose is granted to each role whose default grant rule covers its data use (admin and privacy officer always; ' +
          'sales for sales and payment processing, support for support, marketing for marketing and analytics, analyst for analytics), ' +
          "as a new workspace's purposes are; `grantedRoles` lists them. Change grants afterwards with the role-grant API.",
        body: purposeCreate,
        response: { 201: z.object({ data: purposeSchema, grantedRoles: z.array(z.enum(roles)) }) },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'purpose:write');
      const created = await database.db.transaction((tx) => createPurpose(tx, ctx, request.body));
      setEtag(reply, created.purpose.version);
      return reply.code(201).send({ data: view(created.purpose), grantedRoles: created.grantedRoles });
    },
  );

  app.patch(
    '/purposes/:key',
    {
      config: { ifMatch: 'required', etag: true },
      schema: {
        operationId: 'updatePurpose',
        tags: ['purposes'],
        summary: "Change a purpose's description, data use, retention or consent validity (admin, privacy officer; If-Match required; audited)",
        description:
          'The legal basis cannot change: data collected under one basis may not be processed on another in hindsight, so a new basis needs a new purpose.',
        params: z.object({ key: z.string().max(63) }),
        body: purposeChange,
        response: { 200: z.object({ data: purposeSchema }) },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request, 'purpose:write');
      const expectedVersion = requiredIfMatchVersion(request);
      const changed = await database.db.transaction((tx) => changePurpose(tx, ctx, request.params.key, request.body, expectedVersion));
      setEtag(reply, changed.version);
      return { data: view(changed) };
    },
  );
});
