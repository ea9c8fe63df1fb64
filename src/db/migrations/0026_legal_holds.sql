-- Legal holds (GDPR Art. 17(3)): an active hold (released_at null) stops every erasure of
-- its subject. No foreign key to the subject: the hold outlives the subject's erasure.
CREATE TABLE "legal_holds" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"subject_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"released_at" timestamp (3) with time zone,
	CONSTRAINT "legal_holds_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "legal_holds_subject_idx" ON "legal_holds" USING btree ("tenant_id","subject_id") WHERE "legal_holds"."released_at" is null;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "legal_holds_created_idx" ON "legal_holds" USING btree ("tenant_id","created_at","id");
