import { dsrFulfilmentKey, systemContext, type PurposeContext } from '../../kernel/index.ts';
import { rightsPurpose } from '../requests/requestWorkflow.ts';

/*
 * Who acts in the customer privacy portal: the person themselves, through the portal, once
 * they proved they hold an address. The kernel knows actors as users, API keys and system
 * work; the portal is system work named for what it is, so the audit trail (and the trail
 * the person reads back) says "data-subject-portal", never a staff member.
 */

export const portalSelfActor = 'data-subject-portal';

/** Reading and sealing what concerns the person: dsr_fulfilment, the legal-obligation purpose of their rights. */
export const portalSelfContext = (tenantId: string): PurposeContext => systemContext(tenantId, portalSelfActor, dsrFulfilmentKey);

/** Receiving the person's rights requests, as every channel does: legal_compliance. */
export const portalRequestContext = (tenantId: string): PurposeContext => systemContext(tenantId, portalSelfActor, rightsPurpose);

/** Saying what the person chose for a purpose: acting for that purpose, as every consent channel does. */
export const portalConsentContext = (tenantId: string, purposeKey: string): PurposeContext => systemContext(tenantId, portalSelfActor, purposeKey);
