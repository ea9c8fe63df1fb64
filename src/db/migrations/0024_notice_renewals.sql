-- The notice version of each subject's latest consent event, beside its state, so the check
-- for "now" can tell a consent given under a notice older than a material renewal requires
-- without reading the ledger (src/kernel/policy/consentLedger.ts, noticeRenewals.ts).
ALTER TABLE "consent_states" ADD COLUMN "notice_version" integer;
--> statement-breakpoint
UPDATE "consent_states" s SET "notice_version" = e."notice_version"
FROM "consent_events" e
WHERE e."tenant_id" = s."tenant_id" AND e."id" = s."last_event_id" AND e."notice_version" IS NOT NULL;
--> statement-breakpoint
-- A question about an earlier instant reads each subject's latest event at or before it from
-- this index; carrying what the check needs (state, expiry, notice version) lets PostgreSQL
-- answer it from the index alone once the table is vacuumed.
DROP INDEX "consent_events_subject_idx";
--> statement-breakpoint
CREATE INDEX "consent_events_subject_idx" ON "consent_events" USING btree ("tenant_id","subject_id","purpose_key","recorded_at","id") INCLUDE ("state","expires_at","notice_version");
