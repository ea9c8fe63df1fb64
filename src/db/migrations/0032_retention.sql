-- Retention as one source of truth (issue 13 item 11): each purpose's period is counted from
-- an anchor that fits it, and ends in erasure or anonymisation as the privacy officer chose.
-- Consent purposes count from the consent's withdrawal (or expiry); purposes of contract or
-- legal obligation about orders from the last purchase or the end of the last deal; the rest
-- from the last interaction.
ALTER TABLE "purposes" ADD COLUMN "retention_anchor" text DEFAULT 'last_interaction' NOT NULL;--> statement-breakpoint
ALTER TABLE "purposes" ADD COLUMN "retention_action" text DEFAULT 'erase' NOT NULL;--> statement-breakpoint
ALTER TABLE "purposes" ADD CONSTRAINT "purposes_retention_anchor_check" CHECK ("purposes"."retention_anchor" in ('last_interaction', 'last_purchase', 'consent_withdrawal'));--> statement-breakpoint
ALTER TABLE "purposes" ADD CONSTRAINT "purposes_retention_action_check" CHECK ("purposes"."retention_action" in ('erase', 'anonymise'));--> statement-breakpoint
UPDATE "purposes" SET "retention_anchor" = 'consent_withdrawal' WHERE "legal_basis" = 'consent';--> statement-breakpoint
UPDATE "purposes" SET "retention_anchor" = 'last_purchase' WHERE "key" in ('order_fulfilment', 'email_marketing_existing_customers', 'legal_compliance');--> statement-breakpoint
-- A contact whose personal data the retention sweep removed, keeping the record for counts.
ALTER TABLE "contacts" ADD COLUMN "anonymised_at" timestamp (3) with time zone;--> statement-breakpoint
-- Proof of deletion: one row per batch of a retention sweep. Counts, the keyed pseudonyms the
-- batch's audit entry names (never a subject id), and that entry's sequence in the chain.
CREATE TABLE "retention_proofs" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"batch" integer NOT NULL,
	"as_of" timestamp (3) with time zone NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"erased_subjects" integer NOT NULL,
	"anonymised_subjects" integer NOT NULL,
	"held_subjects" integer NOT NULL,
	"expired_events" integer NOT NULL,
	"subject_pseudonyms" text[] DEFAULT '{}' NOT NULL,
	"audit_sequence" bigint NOT NULL,
	CONSTRAINT "retention_proofs_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "retention_proofs_created_idx" ON "retention_proofs" USING btree ("tenant_id","created_at","id");
