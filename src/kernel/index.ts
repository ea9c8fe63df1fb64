/*
 * The privacy kernel's one public face. Code outside src/kernel/ imports from this file
 * only (test/kernelBoundary.test.ts enforces it): every read and write of personal data
 * it offers takes a PurposeContext and passes the same policy decision; the record-level
 * modules behind it (contactRecords, eventRecords, visitorRecords, activityContent,
 * importStaging, lookupTokens, the vault's internals) are private to the kernel.
 */

// Who acts, for which purpose.
export { actorKey, requirePurpose, systemContext, type AccessContext, type Actor, type PurposeContext } from './accessContext.ts';

// Start-up: the key store every sealing, blind index, pseudonym and signature uses.
export { configureKernel, ensureTestKernel, kernelKeyStore, startKernel } from './runtime.ts';

// The audit trail.
export * from './audit/index.ts';

// Catalog and policy administration (purposes, role grants, declarations).
export * from './catalog/index.ts';
export * from './policy/index.ts';

// Vault administration: key stores, epoch advance, rotation.
export * from './vault/index.ts';

// Contacts.
export * from './contactAccess.ts';
export type { WithheldField } from './contactAccess.ts';
export * from './contactRecords.ts';
export { foldName, namesMatchPrefix, searchToken } from './lookupTokens.ts';

// Behaviour: visitors and events; activities' content.
export * from './eventRecords.ts';
export * from './visitorRecords.ts';
export * from './activityContent.ts';

// Import staging.
export * from './importStaging.ts';
// Data subjects (issue 7): the writers of their state (restriction, objection, erasure),
// the subject rules writes follow, rectification of a restricted contact, and reads of
// the deals, purchases and companies that link to people.
export * from './subjectStateWriters.ts';
export * from './subjectRules.ts';
export * from './contactRectification.ts';
export * from './linkedRecordAccess.ts';
