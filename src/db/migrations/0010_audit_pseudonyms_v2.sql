-- Audit entry encoding version 2 (src/kernel/audit/canonical.ts): per-subject pseudonyms that
-- erasure can cut. Entries written so far are version 1 and keep verifying as such; new
-- entries state their version, so the column has no default once the old rows have theirs.
ALTER TABLE "audit_entries" ADD COLUMN "version" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_entries" ALTER COLUMN "version" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "audit_entries" ADD COLUMN "erased_pseudonyms" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
CREATE INDEX "audit_entries_erasures_idx" ON "audit_entries" USING btree ("tenant_id","sequence") WHERE cardinality("audit_entries"."erased_pseudonyms") > 0;--> statement-breakpoint
ALTER TABLE "audit_entries" ADD CONSTRAINT "audit_entries_version_check" CHECK ("audit_entries"."version" in (1, 2));--> statement-breakpoint
ALTER TABLE "audit_entries" ADD CONSTRAINT "audit_entries_erased_pseudonyms_check" CHECK ("audit_entries"."version" >= 2 or cardinality("audit_entries"."erased_pseudonyms") = 0);--> statement-breakpoint
-- The subject index stays append-only except for one kind of DELETE: an erasure's. Rows may
-- go only when the workspace's newest entry (the chain head, which the erasing transaction
-- holds locked) names their pseudonym in erased_pseudonyms and was appended after them, so
-- every removal is recorded in the hashed chain first. Checked set-wise per statement.
DROP TRIGGER "audit_subjects_append_only" ON "audit_subjects";--> statement-breakpoint
CREATE TRIGGER audit_subjects_append_only BEFORE UPDATE ON audit_subjects
  FOR EACH STATEMENT EXECUTE FUNCTION candor_audit_refuse_change();--> statement-breakpoint
CREATE OR REPLACE FUNCTION candor_audit_subjects_erasure_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- As set operations (EXCEPT hashes): a join against the transition table, which has no
  -- statistics, was planned as a nested loop — 18 s for an erasure of 12,000 subjects.
  IF EXISTS (
    SELECT r.tenant_id, r.pseudonym FROM removed r
    EXCEPT
    SELECT e.tenant_id, p.pseudonym
    FROM audit_heads h
    JOIN audit_entries e ON e.tenant_id = h.tenant_id AND e.sequence = h.sequence
    CROSS JOIN unnest(e.erased_pseudonyms) AS p(pseudonym)
    WHERE h.tenant_id IN (SELECT DISTINCT tenant_id FROM removed)
  ) OR EXISTS (
    SELECT 1 FROM (SELECT tenant_id, max(sequence) AS sequence FROM removed GROUP BY tenant_id) r
    JOIN audit_heads h ON h.tenant_id = r.tenant_id
    WHERE r.sequence >= h.sequence
  ) THEN
    RAISE EXCEPTION 'the audit trail is append-only: DELETE on audit_subjects is refused unless the newest entry records the erasure of those pseudonyms'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER audit_subjects_erasure_only AFTER DELETE ON audit_subjects
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION candor_audit_subjects_erasure_only();
