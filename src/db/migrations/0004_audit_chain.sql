-- Entries written before the chain existed (development databases only: nothing has been
-- released) cannot be given hashes after the fact; they are dropped so the columns below
-- can be NOT NULL and every workspace's chain starts at sequence 1.
DELETE FROM "audit_entries";--> statement-breakpoint
CREATE TABLE "audit_checkpoints" (
	"tenant_id" uuid NOT NULL,
	"sequence" bigint NOT NULL,
	"hash" text NOT NULL,
	"signature" text NOT NULL,
	"public_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_checkpoints_tenant_id_sequence_pk" PRIMARY KEY("tenant_id","sequence")
);
--> statement-breakpoint
CREATE TABLE "audit_heads" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"sequence" bigint NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_subjects" (
	"tenant_id" uuid NOT NULL,
	"pseudonym" text NOT NULL,
	"sequence" bigint NOT NULL,
	CONSTRAINT "audit_subjects_tenant_id_pseudonym_sequence_pk" PRIMARY KEY("tenant_id","pseudonym","sequence")
);
--> statement-breakpoint
ALTER TABLE "audit_entries" ALTER COLUMN "occurred_at" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "audit_entries" ADD COLUMN "decision" text DEFAULT 'allow' NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_entries" ADD COLUMN "reasons" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_entries" ADD COLUMN "subject_pseudonyms" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_entries" ADD COLUMN "previous_hash" text NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_entries" ADD COLUMN "hash" text NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_entries" ADD CONSTRAINT "audit_entries_decision_check" CHECK ("audit_entries"."decision" in ('allow', 'deny', 'partial'));--> statement-breakpoint
ALTER TABLE "audit_entries" ADD CONSTRAINT "audit_entries_occurred_at_ms_check" CHECK ("audit_entries"."occurred_at" = date_trunc('milliseconds', "audit_entries"."occurred_at"));