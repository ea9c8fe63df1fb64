CREATE TABLE "form_keys" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"public_key" text NOT NULL,
	"allowed_origins" text[] DEFAULT '{}' NOT NULL,
	"unneeded_fields" text DEFAULT 'refuse' NOT NULL,
	"purposes" text[] DEFAULT '{}' NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"rotated_at" timestamp (3) with time zone,
	"revoked_at" timestamp (3) with time zone,
	CONSTRAINT "form_keys_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "form_keys_unneeded_fields_check" CHECK ("form_keys"."unneeded_fields" in ('refuse', 'drop'))
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "form_keys_created_idx" ON "form_keys" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE TABLE "form_key_lookup" (
	"public_key" text PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"form_key_id" uuid NOT NULL
);
