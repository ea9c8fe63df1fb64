import type { ConsentChannel, ConsentEventState } from '../../shared/consentVocabulary.ts';
import { dpvConsentStatus, liveConsentStates } from '../../shared/consentVocabulary.ts';
import { isLegalBasis, legalBasisTerms } from '../../shared/legalBases.ts';
import type { LedgerEvent } from '../policy/consentLedger.ts';

/*
 * One ledger event as a Kantara Consent Receipt v1.1 (KI-CR-v1.1.0, the JSON the
 * receipt's JWS carries), with the ISO/IEC TS 27560:2023 consent-record information the
 * Kantara format lacks in one extra member, `iso27560` (the Kantara schema allows extra
 * members). Names there follow the DPV guide to 27560 (https://w3id.org/dpv/guides/consent-27560):
 * the record and event identifiers, the event time, the consent status as its DPV IRI,
 * the notice shown (version and hash), the collection channel, the expiry and the legal basis.
 *
 * piiPrincipalId is the subject's id, a random UUID that names nobody outside this
 * workspace: Kantara asks for "the PII principal's identifier", not for a contact detail,
 * and a receipt travels (e-mail, downloads, verification by third parties), so an e-mail
 * address or a name would spread personal data wherever the receipt goes. Whoever holds
 * the receipt and the workspace can tie the id to the person; nobody else can.
 * No evidence (note, hashes of address or agent) is ever in a receipt: it stays sealed.
 */

export const kantaraVersion = 'KI-CR-v1.1.0';

/** The ledger event a receipt is of; its sealed evidence and its recorder never go into one. */
export type ReceiptEvent = Omit<LedgerEvent, 'evidence' | 'actor'>;

export type ReceiptPurpose = { key: string; description: string; legalBasis: string; dataUse: string };
/** The fideslang data categories of the fields declared for the purpose, and which of them are special (GDPR Art. 9). */
export type ReceiptData = { categories: string[]; specialCategories: string[] };
export type ReceiptController = { name: string; region: string; url: string };

export type ConsentReceipt = {
  version: typeof kantaraVersion;
  jurisdiction: string;
  consentTimestamp: number;
  collectionMethod: string;
  consentReceiptID: string;
  publicKey: string;
  language: string;
  piiPrincipalId: string;
  piiControllers: Array<{ piiController: string; contact: string; address: Record<string, string>; email: string; phone: string; piiControllerUrl: string }>;
  policyUrl: string;
  services: Array<{ service: string; purposes: Array<Record<string, unknown>> }>;
  sensitive: boolean;
  spiCat: string[];
  iso27560: {
    schemaVersion: string;
    recordId: string;
    eventTime: string;
    consentStatus: { state: ConsentEventState; iri: string };
    notice: { version: number; hash: string | null } | null;
    collectionChannel: ConsentChannel;
    expiresAt: string | null;
    legalBasis: string;
    purpose: { key: string; dataUse: string };
  };
};

const collectionMethods: Record<ConsentChannel, string> = {
  form: 'Web form',
  widget: 'Consent widget on a website',
  portal: 'Privacy portal',
  import: 'Imported from an earlier record of consent',
  api: 'Recorded through the API',
  staff: 'Told to a member of staff, who recorded it',
  email_link: 'Link in an e-mail',
  gpc: 'Global Privacy Control signal sent by the browser',
  tcf: 'IAB TCF consent string',
};

const dpvIri = (prefixed: string) => prefixed.replace(/^dpv:/, 'https://w3id.org/dpv#');

/** The receipt of one ledger event; `publicKeyThumbprint` names the key that signs it. */
export function consentReceiptOf(
  event: ReceiptEvent,
  purpose: ReceiptPurpose,
  data: ReceiptData,
  controller: ReceiptController,
  publicKeyThumbprint: string,
): ConsentReceipt {
  const live = (liveConsentStates as readonly string[]).includes(event.state);
  const sharing = purpose.dataUse.startsWith('third_party_sharing');
  return {
    version: kantaraVersion,
    jurisdiction: controller.region,
    consentTimestamp: Math.floor(event.recordedAt.getTime() / 1000),
    collectionMethod: collectionMethods[event.channel],
    consentReceiptID: event.id,
    publicKey: publicKeyThumbprint,
    language: 'en',
    piiPrincipalId: event.subjectId,
    // The workspace keeps no controller contact details yet: empty strings, not invented ones.
    piiControllers: [
      { piiController: controller.name, contact: '', address: { addressCountry: controller.region }, email: '', phone: '', piiControllerUrl: controller.url },
    ],
    policyUrl: controller.url,
    services: [
      {
        service: controller.name,
        purposes: [
          {
            purpose: purpose.description,
            consentType: 'EXPLICIT',
            purposeCategory: [purpose.dataUse],
            piiCategory: data.categories,
            primaryPurpose: false,
            termination: live ? (event.expiresAt ? `Until withdrawn, at the latest ${event.expiresAt.toISOString()}` : 'Until withdrawn') : 'N/A',
            thirdPartyDisclosure: sharing,
            ...(sharing ? { thirdPartyName: 'The third parties named in the notice' } : {}),
          },
        ],
      },
    ],
    sensitive: data.specialCategories.length > 0,
    spiCat: data.specialCategories,
    iso27560: {
      schemaVersion: 'ISO/IEC TS 27560:2023',
      recordId: event.id,
      eventTime: event.recordedAt.toISOString(),
      consentStatus: { state: event.state, iri: dpvConsentStatus(event.state) },
      notice: event.noticeVersion === null ? null : { version: event.noticeVersion, hash: event.noticeHash },
      collectionChannel: event.channel,
      expiresAt: event.expiresAt ? event.expiresAt.toISOString() : null,
      legalBasis: isLegalBasis(purpose.legalBasis) ? dpvIri(legalBasisTerms(purpose.legalBasis).dpv) : purpose.legalBasis,
      purpose: { key: purpose.key, dataUse: purpose.dataUse },
    },
  };
}
