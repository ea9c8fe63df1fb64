-- The audit trail is append-only: entries, their subject index and checkpoints refuse
-- UPDATE, DELETE and TRUNCATE for every role, the owner included (only a superuser, or the
-- owner after ALTER TABLE … DISABLE TRIGGER, can get past this — which is why Candor should
-- run as a role that does not own these tables; see docs/audit.md). The chain head
-- (audit_heads) stays updatable: every append advances it.
CREATE OR REPLACE FUNCTION candor_audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit trail is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
  FOR EACH STATEMENT EXECUTE FUNCTION candor_audit_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
  FOR EACH STATEMENT EXECUTE FUNCTION candor_audit_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_subjects_append_only BEFORE UPDATE OR DELETE ON audit_subjects
  FOR EACH STATEMENT EXECUTE FUNCTION candor_audit_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_subjects_no_truncate BEFORE TRUNCATE ON audit_subjects
  FOR EACH STATEMENT EXECUTE FUNCTION candor_audit_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION candor_audit_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION candor_audit_refuse_change();
