CREATE TABLE "saved_views" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"owner_type" text NOT NULL,
	"owner_id" uuid NOT NULL,
	"object" text NOT NULL,
	"name" text NOT NULL,
	"filters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"sort" text,
	"columns" text[] DEFAULT '{}' NOT NULL,
	"shared" boolean DEFAULT false NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "saved_views_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "saved_views_owner_type_check" CHECK ("saved_views"."owner_type" in ('user', 'api_key')),
	CONSTRAINT "saved_views_not_shared_check" CHECK (not "saved_views"."shared")
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "saved_views_owner_name_idx" ON "saved_views" USING btree ("tenant_id","owner_type","owner_id","object","name");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "saved_views_owner_created_idx" ON "saved_views" USING btree ("tenant_id","owner_type","owner_id","created_at","id");