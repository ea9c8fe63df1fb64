-- A point-in-time consent check over many subjects (src/kernel/policy/consentLedger.ts) reads
-- each subject's latest event at or before the instant: with the purpose leading and each
-- subject's events newest first, that is one ordered pass over the purpose's part of this
-- index (DISTINCT ON), answered from the index alone once the table is vacuumed.
CREATE INDEX "consent_events_purpose_idx" ON "consent_events" USING btree ("tenant_id","purpose_key","subject_id","recorded_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) INCLUDE ("state","expires_at","notice_version");
