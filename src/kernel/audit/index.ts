// The audit trail's public surface; src/kernel/audit.ts re-exports it.
export { appendAudit, appendAuditBatch, auditedTransaction, recordAudit, type AppendOptions } from './append.ts';
export {
  canonicalJson,
  canonicalObject,
  encodeChainedFields,
  encodingVersion,
  entryHash,
  genesisHash,
  type ChainedFields,
  type EncodingVersion,
} from './canonical.ts';
export { checkpointMessage, checkpointSignatureHolds, createCheckpoint, latestCheckpoint, listCheckpoints, type AuditCheckpoint } from './checkpoints.ts';
export { auditConfiguration, configureAudit, resetAuditConfiguration, type AuditConfiguration } from './configuration.ts';
export type { AuditDecision, AuditEntry, AuditReason, AuditRecord } from './entry.ts';
export { eraseSubjectTrails, trailErasedAction } from './erasure.ts';
export { encodePublicKey, inMemoryAuditKeys, type AuditKeys, type AuditSigner, type PseudonymKeyOptions } from './keys.ts';
export { legacySubjectPseudonym, subjectPseudonym } from './pseudonyms.ts';
export {
  auditTrailForSubject,
  listAuditEntries,
  pseudonymsOfSubject,
  pseudonymsOfSubjects,
  type SubjectPseudonyms,
  type SubjectReference,
  type TrailPage,
} from './trail.ts';
export { auditFilterNames, type AuditFilter } from './trailFilter.ts';
export { auditKeysFrom } from './vaultKeys.ts';
export { verifyAuditChain, type AuditVerification, type VerifyOptions } from './verify.ts';
