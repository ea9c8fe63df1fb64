/*
 * What survives the erasure of a data subject, and why (issue 13, "erasure that leaves
 * nothing"). test/erasureCompleteness.test.ts scans every table of the database after an
 * erasure: a row that still names the subject's id is allowed only in a table listed here
 * with `namesId: true`. The other entries survive without the id and are listed so the
 * README (section "Erasure that leaves nothing") and the privacy officer can say exactly
 * what remains. A table another part of Candor has not created yet is simply absent.
 */

export type ErasureSurvivor = {
  table: string;
  /** Whether its rows may still hold the erased subject's id. */
  namesId: boolean;
  reason: string;
};

export const erasureSurvivors: readonly ErasureSurvivor[] = [
  {
    table: 'erasures',
    namesId: true,
    reason:
      'The record that the id was erased, when and why (Art. 5(2) accountability): the policy refuses every purpose for the id, so nothing that still names it (a backup restored, a late event) is processed again. Only the random id, which no longer leads to anyone.',
  },
  {
    table: 'consent_events',
    namesId: true,
    reason:
      "The consent ledger's events, kept as pseudonymous proof of what was agreed and withdrawn (Art. 7(1)): purpose, state, time and channel under the random id; their evidence was sealed under the subject's key and is unreadable once it is shredded.",
  },
  {
    table: 'webhook_deliveries',
    namesId: true,
    reason:
      "The erasure's own notice to webhook subscribers (Art. 19: recipients are told of the erasure, so they can erase their copies), until it is delivered or given up; then its id is removed too. Every other delivery loses the id at the erasure.",
  },
  {
    table: 'rights_requests',
    namesId: true,
    reason:
      "The rights requests about the subject (the erasure request among them), as proof each right was answered within its deadline; the identity data the requester gave, and the blind index of their address, are shredded with the subject (completeErasure.ts), as are those of requests that matched no contact but were made with the subject's e-mail address.",
  },
  {
    table: 'rights_request_events',
    namesId: true,
    reason: "The request's audited state changes (received, verified, completed), naming the request, not the person.",
  },
  {
    table: 'legal_holds',
    namesId: true,
    reason: 'A legal hold keeps the legally required minimum with its reason (Art. 17(3)); while it is in force the subject is not erased at all.',
  },
  {
    table: 'suppressions',
    namesId: false,
    reason:
      'The blind index of the e-mail address (a keyed hash, never the address or the id), so the person cannot be re-created, re-imported, upserted or collected again unless they return with fresh consent.',
  },
  {
    table: 'retention_proofs',
    namesId: false,
    reason:
      "A retention sweep's proof of deletion (Art. 5(2)): counts, the keyed pseudonyms its audit entry names and that entry's sequence, never an id; the pseudonyms lead to no one once the keys are shredded.",
  },
  {
    table: 'audit_entries',
    namesId: false,
    reason:
      "The hash-chained audit trail is never rewritten: its entries name the subject only by a pseudonym derived from the subject's key. The erasure removes the pseudonym's index rows and shreds the key, so the id maps to no entry while the chain still verifies.",
  },
];

/** The tables whose rows may still name an erased subject's id. */
export const tablesNamingErasedIds = (): Set<string> => new Set(erasureSurvivors.filter((survivor) => survivor.namesId).map((survivor) => survivor.table));
