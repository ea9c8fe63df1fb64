CREATE INDEX IF NOT EXISTS "audit_entries_actor_idx" ON "audit_entries" USING btree ("tenant_id","actor_id","sequence");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "audit_entries_purpose_idx" ON "audit_entries" USING btree ("tenant_id","purpose","sequence");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "audit_entries_action_idx" ON "audit_entries" USING btree ("tenant_id","action" collate "C","sequence");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "audit_entries_occurred_idx" ON "audit_entries" USING btree ("tenant_id","occurred_at","sequence");