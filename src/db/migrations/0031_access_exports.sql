-- Access exports (src/db/schema/accessExports.ts): the export's state, its file sealed by the
-- kernel under the contact's key in parts, and its short-lived single-use download links.
CREATE TABLE "access_exports" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"format" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"step" text,
	"requested_by" text NOT NULL,
	"request_id" uuid,
	"file_name" text,
	"content_type" text,
	"byte_size" integer,
	"error" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp (3) with time zone,
	"expires_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "access_exports_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "access_exports_contact_fk" FOREIGN KEY ("tenant_id","contact_id") REFERENCES "contacts"("tenant_id","id") ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "access_exports_contact_idx" ON "access_exports" USING btree ("tenant_id","contact_id","created_at");
--> statement-breakpoint
CREATE TABLE "access_export_files" (
	"tenant_id" uuid NOT NULL,
	"export_id" uuid NOT NULL,
	"part" integer NOT NULL,
	"sealed" bytea NOT NULL,
	CONSTRAINT "access_export_files_tenant_id_export_id_part_pk" PRIMARY KEY("tenant_id","export_id","part"),
	CONSTRAINT "access_export_files_export_fk" FOREIGN KEY ("tenant_id","export_id") REFERENCES "access_exports"("tenant_id","id") ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE "access_export_links" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"export_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"used_at" timestamp (3) with time zone,
	CONSTRAINT "access_export_links_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "access_export_links_export_fk" FOREIGN KEY ("tenant_id","export_id") REFERENCES "access_exports"("tenant_id","id") ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "access_export_links_export_idx" ON "access_export_links" USING btree ("tenant_id","export_id");
