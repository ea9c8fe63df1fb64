// The vault's public face: key store, field sealing, subject keys, crypto-shredding,
// epoch advance / rotation and blind indexes. See each module for the why.
export type { KeyStore, EpochKey, SigningKeyPair } from './keyStore.ts';
export { FileKeyStore } from './fileKeyStore.ts';
export { MemoryKeyStore } from './memoryKeyStore.ts';
export { openKeyStore, type KeyStoreConfig } from './openKeyStore.ts';
export { encryptField, decryptField, sealedKeyVersion, sealedToString, sealedFromString, VaultDecryptError, type FieldBinding } from './fieldCipher.ts';
export { sealBytes, openBytes, sealValue, openValue, sealRecord, openRecord, type JsonValue } from './subjectCipher.ts';
export {
  ensureSubjectKeys,
  prepareFreshSubjectKeys,
  type FreshSubjectKeys,
  unwrapSubjectKeys,
  type EnsureKeysOptions,
  unwrapSubjectKeyRows,
  selectWrappedKeys,
  type SubjectKeys,
  type WrappedKeyRow,
} from './subjectKeys.ts';
export { pseudonymKeyOf, existingPseudonymKeys, ensurePseudonymKeys } from './pseudonymKeys.ts';
export { SubjectKeyCache, defaultSubjectKeyCache, dropSubject } from './subjectKeyCache.ts';
export { currentEpochColumn, ensureCurrentEpoch, epochsSharedLockCall, EpochKeyUnavailableError } from './epochs.ts';
export { advanceEpoch, rotateKeys, completeEpochAdvance, type EpochAdvanceReport, type EpochAdvanceOptions } from './epochAdvance.ts';
export {
  deleteSubjectKeys,
  shredSubject,
  shredSubjects,
  advanceDueEpochs,
  workspacesDueForEpochAdvance,
  workspacesWithPendingErasures,
  epochAdvancePolicy,
  epochAdvanceCheckIntervalMs,
  type EpochAdvancePolicy,
  type ShredResult,
} from './shred.ts';
export { epochStatus, type EpochStatus } from './epochStatus.ts';
export { blindIndex, truncatedBlindIndex, nameIndexBits } from './blindIndex.ts';
