/*
 * The privacy kernel's one public face. Code outside src/kernel/ imports from this file
 * only (test/kernelBoundary.test.ts enforces it). Every read and write of personal data
 * offered here takes a PurposeContext and passes the same policy decision
 * (src/kernel/callPolicy.ts: the role's grant, then the fields declared for the purpose,
 * then the subject rules), taken once per call and audited. The record-level modules
 * behind it (contactRecords, contactLookups, eventRecords, visitorRecords, activityContent,
 * importStaging, lookupTokens, the vault's internals) are private to the kernel.
 */

// Who acts, for which purpose.
export { actorKey, requirePurpose, systemContext, type AccessContext, type Actor, type PurposeContext } from './accessContext.ts';

// Start-up and administration of the key store every seal, index, pseudonym and signature uses.
export { configureKernel, ensureTestKernel, kernelKeyStore, startKernel, stopKernel } from './runtime.ts';
export {
  advanceDueEpochs,
  advanceEpoch,
  completeEpochAdvance,
  epochAdvanceCheckIntervalMs,
  epochStatus,
  workspacesDueForEpochAdvance,
  workspacesWithPendingErasures,
  type EpochAdvanceReport,
  type EpochStatus,
  type KeyStore,
} from './vault/index.ts';

// The audit trail: append-only, hash-chained, pseudonymous.
export {
  appendAudit,
  auditConfiguration,
  auditFilterNames,
  auditedTransaction,
  auditTrailForSubject,
  latestCheckpoint,
  listAuditEntries,
  pseudonymsOfSubject,
  pseudonymsOfSubjects,
  recordAudit,
  verifyAuditChain,
  type AuditDecision,
  type AuditEntry,
  type AuditFilter,
  type AuditRecord,
} from './audit/index.ts';

// The catalog and the policy's administration: declarations, purposes, role grants.
export {
  catalogObjects,
  changeDeclaration,
  dataCategoryProblem,
  dataUseProblem,
  isPersonalDataCategory,
  settingsDiff,
  usableDataCategories,
  workspaceDeclarations,
  type WorkspaceDeclaration,
} from './catalog/index.ts';
export {
  defaultRoleGrants,
  fieldReasons,
  forgetPurposeGrants,
  grantDefaultRoles,
  grantDefaultsToUngrantedWorkspaces,
  grantedPurposeKeys,
  dsrFulfilmentKey,
  insertRoleGrants,
  isDsrFulfilment,
  isLegalBasis,
  legalBases,
  legalBasisTerms,
  listRoleGrants,
  purposeNotGranted,
  purposeStanding,
  replaceRoleGrants,
  storageReasons,
  subjectReasons,
  toPolicyPurpose,
  type DenyReason,
  type LegalBasis,
  type SubjectReason,
} from './policy/index.ts';
export { forgetCallPolicy, type WithheldField } from './callPolicy.ts';

// Contacts: reads, writes, merges and lookups through the policy.
export {
  assertFieldsPermitted,
  contactPolicy,
  createPermittedContact,
  createPermittedContacts,
  deletePermittedContacts,
  listPermittedContacts,
  mergePermittedContacts,
  readPermittedContact,
  removePermittedContactField,
  searchPermittedIdsByNamePrefix,
  updatePermittedContact,
  type ContactPolicy,
  type PermittedContact,
  type PermittedContactPage,
} from './contactAccess.ts';
export { leftOutThreshold, type LeftOut, type LeftOutCount } from './leftOutCounts.ts';
export { findPermittedContactIdsByLookup, lockPermittedLookupValues } from './contactLookupAccess.ts';
export { backfillContactExternalIdIndexes } from './externalIdBackfill.ts';
export { normalizeExternalId } from './lookupTokens.ts';
export { builtInContactFields, contactSortColumns, type ContactFilter, type ContactRecord, type NewContact, type PersonalValues } from './contactRecords.ts';
// Pure text functions of name search (no data): how a typed prefix is folded and matched.
export { foldName, maximumQueryWords, namesMatchPrefix, namesMatchQuery, parseNameQuery, searchToken, searchTokens, type NameQuery } from './lookupTokens.ts';

// CSV imports: staged, published and abandoned through the policy.
export { abandonPermittedImport, publishPermittedImport, stagePermittedImportRows } from './importAccess.ts';
export type { StagedContactAttributes, StagedRow } from './importStaging.ts';
// The file of an import queued as a job, sealed until the job has staged it.
export { discardImportUpload, readImportUpload, storeImportUpload } from './importUploads.ts';

// Behaviour: visitors and events (each entry checks the grant; reads filter fields and subjects).
export {
  eventSortColumns,
  insertEvents,
  listSubjectEvents,
  moveVisitorEvents,
  readEvent,
  type EventRecord,
  type EventSubject,
  type NewEventRecord,
} from './eventRecords.ts';
export {
  deleteVisitors,
  lookUpAnonymousIds,
  markVisitorMerged,
  readVisitor,
  resolveAnonymousIds,
  visitorExists,
  type AnonymousSighting,
  type VisitorRead,
} from './visitorRecords.ts';

// Activities' sealed subject and body.
export {
  readActivityContent,
  shredActivityContents,
  storeActivityContents,
  writeActivityContent,
  type ActivityContent,
  type ActivityContentChange,
} from './activityContent.ts';

// Keyed fingerprints of requests, for idempotency records (a copy of the database cannot test guesses).
export { requestFingerprint } from './requestFingerprint.ts';

// The consent ledger: append an event (given, refused, withdrawn, expired, renewed,
// opted_out) with sealed evidence, read a subject's history, ask whether consent was live
// at an instant, and write the expiries due. The policy reads it through ledgerConsentStore.
export {
  consentHistory,
  recordConsent,
  wasConsentLive,
  type ConsentEvent,
  type ConsentEvidence,
  type NewConsentEvent,
} from './consentRecords.ts';
export { consentExpiryActor, recordConsentExpiries } from './consentExpiry.ts';
// A subject's latest word per purpose, under its lock: for flows that append only what changed (TCF).
export { lockedConsentStates, type CurrentConsent } from './consentStates.ts';
// Double opt-in: a consent asked for and pending until the person confirms through the mailed
// link, which appends the `given` event (nothing is live before).
export {
  confirmConsentRequest,
  emailLinkActor,
  recordConsentRequest,
  type ConsentConfirmation,
  type ConsentRequest,
  type NewConsentRequest,
} from './consentRequests.ts';
// Consent receipts: an event as a signed Kantara v1.1 receipt, the public keys, verification.
export {
  consentReceipt,
  receiptKeySet,
  rotateReceiptKey,
  verifyConsentReceipt,
  type ConsentReceipt,
  type PublicJwk,
  type ReceiptVerification,
  type SignedConsentReceipt,
} from './consentReceipts.ts';
// Set-wise writers: a whole consent history (seeding, imports) and opt-outs of sale, sharing
// and targeted advertising (GPC), with the opt-outs that overrode a live opt-in.
export { appendConsentHistory, existingConsentEventIds, type ConsentHistoryEvent } from './consentBatches.ts';
export {
  listOptOutConflicts,
  recordOptOuts,
  type OptOutConflict,
  type OptOutConflictPage,
  type OptOutRequest,
  type RecordedOptOut,
} from './consentOptOuts.ts';
// Counts over the ledger for the consent dashboard: per purpose and period, and now; no subject id.
export {
  consentStatistics,
  emptyConsentCurrent,
  emptyConsentPeriod,
  type ConsentCurrentCounts,
  type ConsentPeriodCounts,
  type ConsentStatisticsQuery,
  type PurposeConsentStatistics,
} from './consentStatistics.ts';
// Minimisation at the door: which events a consent purpose may store, and keyed hashes of consent evidence.
export { consentGate, evidenceHash, type GateSubject } from './consentGate.ts';
export { ledgerConsentStore, type ConsentStore, type ExpiryReport } from './policy/index.ts';
// Material notice renewals: the purposes a subject should be asked again for.
export { consentRenewalsDue, minimumLiveNoticeVersion, type RenewalDue } from './policy/index.ts';

// Data subjects: the writers of their state (restriction, objection, erasure), the subject
// rules writes follow, rectification of a restricted contact, and reads of the deals,
// purchases and companies that link to people.
export * from './subjectStateWriters.ts';
export * from './subjectRules.ts';
export * from './contactRectification.ts';
export * from './linkedRecordAccess.ts';

// Everything held on one data subject, for their access request (dsr_fulfilment only).
export {
  openSubjectAccess,
  subjectAccessAction,
  subjectAccessPolicy,
  type AccessField,
  type AccessTrailEntry,
  type SubjectAccess,
  type SubjectAccessOptions,
} from './subjectAccess.ts';
// The sealed file of an access export, under the subject's key (erasure shreds it).
export { accessExportReadAction, readAccessExportFile, storeAccessExportFile } from './accessExportFiles.ts';
export type { AccessActivity, AccessDeal, AccessEvent, AccessPurchase, AccessVisitor } from './subjectAccessRecords.ts';

// Rights requests: the requester's identity sealed under the request's own key (shredded
// on its own), and the match of its e-mail to a contact by blind index.
export {
  matchRequestContact,
  openRequestIdentities,
  requestEmailIndex,
  requestIdentityOf,
  sealRequestIdentity,
  shredRequestIdentity,
  type RequestIdentity,
  type RequestIdentityInput,
  type VouchedClaims,
} from './requestIdentity.ts';
// Whether a proved address is the one a request names, compared by blind index inside the kernel.
export { requestEmailMatches } from './requestEmailMatch.ts';
// The privacy portal's sign-ins: the address a person signs in with, sealed under the sign-in's
// own key, and forgotten with it.
export { forgetEndedPortalSignIns, forgetPortalSignIns, matchPortalContact, openPortalEmail, sealPortalEmail } from './portalIdentity.ts';

// Erasure that leaves nothing (issue 13): the kernel's part of every erasure, the e-mail
// suppressions that keep an erased person from coming back without fresh consent, and what
// may still name an erased subject's id, with the reason.
export { eraseSubjectCompletely, type CompleteErasure, type CompleteErasureOptions } from './completeErasure.ts';
export { assertEmailsNotSuppressed, liftSuppression, suppressedEmails, suppressedError } from './suppressions.ts';
export { erasureSurvivors, tablesNamingErasedIds, type ErasureSurvivor } from './subjectErasureSurvivors.ts';
// Retention: anonymising contacts and expiring events past their purpose's period (src/privacy/retention/).
export { anonymiseContacts, countEventsBefore, expireEvents } from './retentionWrites.ts';
