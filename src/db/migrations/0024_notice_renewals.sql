-- The notice version of each subject's latest consent event, beside its state, so the check
-- for "now" can tell a consent given under a notice older than a material renewal requires
-- without reading the ledger (src/kernel/policy/consentLedger.ts, noticeRenewals.ts).
ALTER TABLE "consent_states" ADD COLUMN "notice_version" integer;
--> statement-breakpoint
UPDATE "consent_states" s SET "notice_version" = e."notice_version"
FROM "consent_events" e
WHERE e."tenant_id" = s."tenant_id" AND e."id" = s."last_event_id" AND e."notice_version" IS NOT NULL;
