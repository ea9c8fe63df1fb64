ALTER TABLE "import_batches" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "import_staging" ADD COLUMN "record_id" uuid NOT NULL;--> statement-breakpoint
ALTER TABLE "import_staging" ADD COLUMN "attributes" jsonb DEFAULT '{}'::jsonb NOT NULL;