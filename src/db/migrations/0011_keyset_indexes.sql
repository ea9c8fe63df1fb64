-- Indexes for keyset paging: one (tenant_id, sort key, id) per allowed sort of every list
-- (src/shared/keyset.ts), read forwards for ascending and backwards for descending.
--
-- Building an index on a large table blocks writes to it while it builds, and drizzle's
-- migrator runs every pending migration in one transaction, where PostgreSQL refuses
-- CREATE INDEX CONCURRENTLY. An operator of a large PostgreSQL database builds them first,
-- without blocking writes, and then upgrades: each statement below is IF NOT EXISTS / IF
-- EXISTS, so the migration then only records itself and drops the replaced indexes (quick).
-- The commands are in README.md, "Paging and counts". PGlite (one process) has no writers
-- to block; it builds them here.
CREATE INDEX IF NOT EXISTS "companies_updated_idx" ON "companies" USING btree ("tenant_id","updated_at","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "companies_name_sort_idx" ON "companies" USING btree ("tenant_id",lower("name") collate "C","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "activities_due_sort_idx" ON "activities" USING btree ("tenant_id","due_at","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "activities_created_idx" ON "activities" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "deals_updated_idx" ON "deals" USING btree ("tenant_id","updated_at","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "deals_expected_close_idx" ON "deals" USING btree ("tenant_id","expected_close_date","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "purchases_total_idx" ON "purchases" USING btree ("tenant_id","total_minor","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "purchases_created_idx" ON "purchases" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "events_contact_occurred_idx" ON "events" USING btree ("tenant_id","contact_id","occurred_at","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "events_visitor_occurred_idx" ON "events" USING btree ("tenant_id","visitor_id","occurred_at","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "webhook_deliveries_subscription_created_idx" ON "webhook_deliveries" USING btree ("tenant_id","subscription_id","created_at","id");--> statement-breakpoint
DROP INDEX IF EXISTS "companies_name_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "events_contact_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "events_visitor_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "webhook_deliveries_subscription_idx";
