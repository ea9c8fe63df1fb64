// The audit trail's public surface; src/kernel/audit.ts re-exports it.
export { appendAudit, appendAuditBatch, type AppendOptions } from './append.ts';
export { canonicalJson, encodeChainedFields, entryHash, genesisHash, type ChainedFields } from './canonical.ts';
export { checkpointMessage, checkpointSignatureHolds, createCheckpoint, latestCheckpoint, listCheckpoints, type AuditCheckpoint } from './checkpoints.ts';
export { auditConfiguration, configureAudit, type AuditConfiguration } from './configuration.ts';
export type { AuditDecision, AuditEntry, AuditReason, AuditRecord } from './entry.ts';
export { auditKeysFrom, encodePublicKey, inMemoryAuditKeys, type AuditKeys, type AuditKeySource, type AuditSigner } from './keys.ts';
export { subjectPseudonym } from './pseudonyms.ts';
export { auditTrailForSubject, listAuditEntries, type SubjectReference } from './trail.ts';
export { verifyAuditChain, type AuditVerification, type VerifyOptions } from './verify.ts';
