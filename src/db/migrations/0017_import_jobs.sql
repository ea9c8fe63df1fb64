CREATE TABLE "import_uploads" (
	"tenant_id" uuid NOT NULL,
	"batch_id" uuid NOT NULL,
	"part" integer NOT NULL,
	"sealed" "bytea" NOT NULL,
	CONSTRAINT "import_uploads_tenant_id_batch_id_part_pk" PRIMARY KEY("tenant_id","batch_id","part")
);
--> statement-breakpoint
ALTER TABLE "import_batches" ALTER COLUMN "status" SET DEFAULT 'running';--> statement-breakpoint
-- The state of a batch being read into staging was called 'staging'; it is 'running' now,
-- beside 'queued' (waiting for its job) and 'staged' (every row staged, being published).
UPDATE "import_batches" SET "status" = 'running' WHERE "status" = 'staging';--> statement-breakpoint
ALTER TABLE "import_batches" ADD COLUMN "row_count" integer;--> statement-breakpoint
ALTER TABLE "import_batches" ADD COLUMN "file_name" text;--> statement-breakpoint
ALTER TABLE "import_batches" ADD COLUMN "purpose" text;--> statement-breakpoint
ALTER TABLE "import_batches" ADD COLUMN "options" jsonb;--> statement-breakpoint
ALTER TABLE "import_uploads" ADD CONSTRAINT "import_uploads_tenant_id_batch_id_import_batches_tenant_id_id_fk" FOREIGN KEY ("tenant_id","batch_id") REFERENCES "public"."import_batches"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "import_batches_created_idx" ON "import_batches" USING btree ("tenant_id","created_at","id");