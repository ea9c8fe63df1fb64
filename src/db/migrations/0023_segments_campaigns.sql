CREATE TABLE "segments" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"filters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "segments_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "segments_name_idx" ON "segments" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "segments_created_idx" ON "segments" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE TABLE "campaigns" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"segment_id" uuid NOT NULL,
	"purpose_key" text NOT NULL,
	"subject" text NOT NULL,
	"text_body" text NOT NULL,
	"html_body" text,
	"rate_per_second" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"send_at" timestamp (3) with time zone,
	"started_at" timestamp (3) with time zone,
	"finished_at" timestamp (3) with time zone,
	"cancelled_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "campaigns_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "campaigns_segment_fk" FOREIGN KEY ("tenant_id","segment_id") REFERENCES "segments"("tenant_id","id"),
	CONSTRAINT "campaigns_status_check" CHECK ("campaigns"."status" in ('draft', 'scheduled', 'sending', 'sent', 'cancelled')),
	CONSTRAINT "campaigns_rate_check" CHECK ("campaigns"."rate_per_second" between 1 and 1000)
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "campaigns_created_idx" ON "campaigns" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "campaigns_segment_idx" ON "campaigns" USING btree ("tenant_id","segment_id");--> statement-breakpoint
CREATE TABLE "campaign_deliveries" (
	"tenant_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"contact_id" uuid NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"reason" text,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_deliveries_pk" PRIMARY KEY("tenant_id","campaign_id","contact_id"),
	CONSTRAINT "campaign_deliveries_campaign_fk" FOREIGN KEY ("tenant_id","campaign_id") REFERENCES "campaigns"("tenant_id","id") ON DELETE cascade,
	CONSTRAINT "campaign_deliveries_contact_fk" FOREIGN KEY ("tenant_id","contact_id") REFERENCES "contacts"("tenant_id","id") ON DELETE cascade,
	CONSTRAINT "campaign_deliveries_state_check" CHECK ("campaign_deliveries"."state" in ('queued', 'sending', 'sent', 'skipped', 'failed'))
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "campaign_deliveries_state_idx" ON "campaign_deliveries" USING btree ("tenant_id","campaign_id","state","contact_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "campaign_deliveries_contact_idx" ON "campaign_deliveries" USING btree ("tenant_id","contact_id");
