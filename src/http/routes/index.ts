import type { RoutePlugin } from './routePlugin.ts';
import { healthRoutes } from './health.ts';
import { purposeRoutes } from './purposes.ts';
import { catalogRoutes } from './catalog.ts';
import { contactRoutes } from './contacts.ts';
import { companyRoutes } from './companies.ts';
import { customFieldRoutes } from './customFields.ts';
import { importRoutes } from './imports.ts';
import { importMappingRoutes } from './importMapping.ts';
import { exportRoutes } from './exports.ts';
import { auditRoutes } from './audit.ts';
import { webhookRoutes } from './webhooks.ts';
import { authRoutes } from './auth.ts';
import { userRoutes } from './users.ts';
import { invitationRoutes } from './invitations.ts';
import { apiKeyRoutes } from './apiKeys.ts';
import { devMailRoutes } from './devMail.ts';
import { eventRoutes } from './events.ts';
import { visitorRoutes } from './visitors.ts';
import { pipelineRoutes } from './pipelines.ts';
import { dealRoutes } from './deals.ts';
import { activityRoutes } from './activities.ts';
import { activityWeekRoutes } from './activityWeeks.ts';
import { purchaseRoutes } from './purchases.ts';
import { roleGrantRoutes } from './roleGrants.ts';
import { workspaceRoutes } from './workspace.ts';
import { keyRoutes } from './keys.ts';
import { viewRoutes } from './views.ts';
import { consentRoutes } from './consents.ts';
import { emailLinkRoutes } from './emailLinks.ts';
import { noticeRoutes } from './notices.ts';
import { consentReceiptRoutes, receiptKeysRoutes } from './consentReceipts.ts';
import { gpcRoutes, gpcWellKnownRoutes } from './gpc.ts';
import { consentStatisticsRoutes } from './consentStatistics.ts';
import { formKeyRoutes } from './formKeys.ts';
import { collectRoutes } from './collect.ts';
import { collectNoticeRoutes } from './collectNotices.ts';
import { segmentRoutes } from './segments.ts';
import { campaignRoutes } from './campaigns.ts';
import { legalHoldRoutes } from './legalHolds.ts';
import { requestRoutes } from './requests.ts';
import { requestActionRoutes } from './requestActions.ts';
import { requestHolidayRoutes } from './requestHolidays.ts';
import { accessExportRoutes } from './accessExports.ts';
import { requestPortalRoutes } from './requestPortal.ts';
import { portalSessionRoutes } from './portalSessions.ts';
import { portalSelfServiceRoutes } from './portalSelfService.ts';
import { portalAgentRequestRoutes } from './portalAgentRequests.ts';
import { portalExportRoutes } from './portalExports.ts';
import { retentionRoutes } from './retention.ts';
import { drpRoutes } from './drp.ts';
import { drpAgentRoutes } from './drpAgents.ts';

// Every route group, in one list. Each is a Fastify plugin with its own schemas.
export const routePlugins: RoutePlugin[] = [
  healthRoutes,
  purposeRoutes,
  catalogRoutes,
  contactRoutes,
  companyRoutes,
  customFieldRoutes,
  importRoutes,
  importMappingRoutes,
  exportRoutes,
  auditRoutes,
  webhookRoutes,
  authRoutes,
  userRoutes,
  invitationRoutes,
  apiKeyRoutes,
  devMailRoutes,
  eventRoutes,
  visitorRoutes,
  pipelineRoutes,
  dealRoutes,
  activityRoutes,
  activityWeekRoutes,
  purchaseRoutes,
  roleGrantRoutes,
  workspaceRoutes,
  keyRoutes,
  viewRoutes,
  consentRoutes,
  emailLinkRoutes,
  noticeRoutes,
  consentReceiptRoutes,
  receiptKeysRoutes,
  gpcRoutes,
  gpcWellKnownRoutes,
  consentStatisticsRoutes,
  formKeyRoutes,
  collectRoutes,
  collectNoticeRoutes,
  segmentRoutes,
  campaignRoutes,
  legalHoldRoutes,
  requestHolidayRoutes,
  requestRoutes,
  requestActionRoutes,
  accessExportRoutes,
  requestPortalRoutes,
  portalSessionRoutes,
  portalSelfServiceRoutes,
  portalAgentRequestRoutes,
  portalExportRoutes,
  retentionRoutes,
  drpAgentRoutes,
  drpRoutes,
];
