import type { paths } from './schema';

// Shorthands for the shapes the app shows, taken from the generated API types.
type JsonBody<R> = R extends { content: { 'application/json': infer Body } } ? Body : never;
type Ok<Path extends keyof paths, Method extends keyof paths[Path]> = paths[Path][Method] extends { responses: infer R }
  ? JsonBody<R[(200 | 201) & keyof R]>
  : never;

export type Me = Ok<'/api/v1/auth/me', 'get'>['data'];
export type Purpose = Ok<'/api/v1/purposes', 'get'>['data'][number];
/** A purpose as the consent widget shows it (type only: the widget ships no client). */
export type WidgetNotice = Ok<'/api/v1/collect/notices', 'get'>['data']['purposes'][number];
export type ContactList = Ok<'/api/v1/contacts', 'get'>;
export type Contact = ContactList['data'][number];
export type Withheld = ContactList['withheld'];
export type Company = Ok<'/api/v1/companies/{id}', 'get'>['data'];
export type Activity = Ok<'/api/v1/activities', 'get'>['data'][number];
export type Purchase = Ok<'/api/v1/purchases', 'get'>['data'][number];
export type ContactEvent = Ok<'/api/v1/contacts/{id}/events', 'get'>['data'][number];
export type Deal = Ok<'/api/v1/deals', 'get'>['data'][number];
export type ContactListQuery = NonNullable<paths['/api/v1/contacts']['get']['parameters']['query']>;
export type ContactSearchResult = Ok<'/api/v1/contacts/search', 'post'>;
export type AuditEntry = Ok<'/api/v1/audit', 'get'>['data'][number];
export type AuditQuery = NonNullable<paths['/api/v1/audit']['get']['parameters']['query']>;
export type FieldDeclaration = Ok<'/api/v1/catalog', 'get'>['data'][number];
export type DataCategory = Ok<'/api/v1/catalog/data-categories', 'get'>['data'][number];
export type DeclarationChange = NonNullable<paths['/api/v1/catalog/{object}/{field}']['put']['requestBody']>['content']['application/json'];
export type Pipeline = Ok<'/api/v1/pipelines', 'get'>['data'][number];
export type DealList = Ok<'/api/v1/deals', 'get'>;
export type DealStageTotal = Ok<'/api/v1/deals/stage-totals', 'get'>['data'][number];
export type CompanyList = Ok<'/api/v1/companies', 'get'>;
export type CompanyListQuery = NonNullable<paths['/api/v1/companies']['get']['parameters']['query']>;
export type ImportMapping = Ok<'/api/v1/imports/mapping', 'post'>['data'];
export type ImportReport = Ok<'/api/v1/imports/{id}', 'get'>['data'];
export type ImportSummary = Ok<'/api/v1/imports', 'get'>['data'][number];
export type User = Ok<'/api/v1/users', 'get'>['data'][number];
export type Invitation = Ok<'/api/v1/users/invitations', 'post'>['data'];
export type ApiKey = Ok<'/api/v1/api-keys', 'get'>['data'][number];
export type CreatedApiKey = Ok<'/api/v1/api-keys', 'post'>['data'];
export type ApiKeyInput = NonNullable<paths['/api/v1/api-keys']['post']['requestBody']>['content']['application/json'];
export type Webhook = Ok<'/api/v1/webhooks', 'get'>['data'][number];
export type CreatedWebhook = Ok<'/api/v1/webhooks', 'post'>['data'];
export type WebhookDelivery = Ok<'/api/v1/webhooks/{id}/deliveries', 'get'>['data'][number];
export type CustomFieldDefinition = Ok<'/api/v1/custom-fields', 'get'>['data'][number];
export type SavedView = Ok<'/api/v1/views/{id}', 'get'>['data'];
export type SavedViewInput = NonNullable<paths['/api/v1/views']['post']['requestBody']>['content']['application/json'];
export type PurposeNotice = Ok<'/api/v1/purposes/{key}/notices', 'get'>['data'][number];
export type ConsentEvent = Ok<'/api/v1/contacts/{id}/consents', 'get'>['data'][number];
export type ReceiptVerification = Ok<'/api/v1/consent-receipts/verify', 'post'>['data'];
export type ConsentStatistics = Ok<'/api/v1/consents/statistics', 'get'>;
export type ConsentStatisticsQuery = NonNullable<paths['/api/v1/consents/statistics']['get']['parameters']['query']>;
export type Segment = Ok<'/api/v1/segments/{id}', 'get'>['data'];
export type SegmentFilters = NonNullable<NonNullable<paths['/api/v1/segments']['post']['requestBody']>['content']['application/json']['filters']>;
export type SegmentPreview = Ok<'/api/v1/segments/preview', 'post'>['data'];
export type Campaign = Ok<'/api/v1/campaigns/{id}', 'get'>['data'];
export type CampaignInput = NonNullable<paths['/api/v1/campaigns']['post']['requestBody']>['content']['application/json'];
export type AccessExportFormat = NonNullable<paths['/api/v1/contacts/{id}/access-exports']['post']['requestBody']>['content']['application/json']['format'];
// The customer privacy portal: what the person signed in with a mailed code reads and asks.
export type PortalMe = Ok<'/api/v1/portal/{workspace}/me', 'get'>['data'];
export type PortalData = Ok<'/api/v1/portal/{workspace}/me/data', 'get'>['data'];
export type PortalRequest = Ok<'/api/v1/portal/{workspace}/me/requests', 'get'>['data'][number];
export type PortalRequestInput = NonNullable<paths['/api/v1/portal/{workspace}/me/requests']['post']['requestBody']>['content']['application/json'];
export type PortalAgentRequest = Ok<'/api/v1/portal/{workspace}/me/agent-requests/{requestId}', 'get'>['data'];
export type PortalCopy = Ok<'/api/v1/portal/{workspace}/me/access-exports', 'get'>['data'][number];
export type PortalCopyFormat = NonNullable<
  paths['/api/v1/portal/{workspace}/me/access-exports']['post']['requestBody']
>['content']['application/json']['format'];
export type PortalPurpose = PortalData['purposes'][number];
export type PortalConsentEvent = PortalData['consentHistory'][number];
export type PortalRecords = PortalData['records'];
export type NewDrpAgent = NonNullable<paths['/api/v1/drp-agents']['post']['requestBody']>['content']['application/json'];
export type DrpAgentChanges = NonNullable<paths['/api/v1/drp-agents/{id}']['patch']['requestBody']>['content']['application/json'];
