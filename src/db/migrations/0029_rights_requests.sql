-- Data-subject rights requests (issue 13): the request and its deadlines, every transition,
-- and the per-jurisdiction holidays its business days skip. The requester's identity is
-- sealed by the kernel under a data key of its own (subject id = the request id), so it can
-- be shredded with the subject; codes and links are stored only as keyed hashes.
CREATE TABLE "rights_requests" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"subject_id" uuid,
	"kind" text NOT NULL,
	"regime" text NOT NULL,
	"jurisdiction" text NOT NULL,
	"time_zone" text NOT NULL,
	"channel" text NOT NULL,
	"purpose_key" text,
	"state" text DEFAULT 'received' NOT NULL,
	"requester_identity" text,
	"received_at" timestamp (3) with time zone NOT NULL,
	"received_on" date NOT NULL,
	"acknowledge_by" date,
	"respond_by" date NOT NULL,
	"extension_notice_by" date,
	"extended_respond_by" date,
	"extended_at" timestamp (3) with time zone,
	"extension_reason" text,
	"denial_reason" text,
	"outcome" jsonb,
	"code_hash" text,
	"link_hash" text,
	"verification_expires_at" timestamp (3) with time zone,
	"verification_attempts" integer DEFAULT 0 NOT NULL,
	"verification_used_at" timestamp (3) with time zone,
	"verified_at" timestamp (3) with time zone,
	"closed_at" timestamp (3) with time zone,
	"reminded_at" timestamp (3) with time zone,
	"escalated_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "rights_requests_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "rights_requests_subject_fk" FOREIGN KEY ("tenant_id","subject_id") REFERENCES "contacts"("tenant_id","id") ON DELETE SET NULL ("subject_id"),
	CONSTRAINT "rights_requests_kind_check" CHECK ("rights_requests"."kind" in ('access', 'portability', 'rectification', 'erasure', 'restriction', 'objection', 'opt_out_sale_sharing', 'limit_sensitive')),
	CONSTRAINT "rights_requests_regime_check" CHECK ("rights_requests"."regime" in ('gdpr', 'ccpa')),
	CONSTRAINT "rights_requests_channel_check" CHECK ("rights_requests"."channel" in ('portal', 'staff', 'api')),
	CONSTRAINT "rights_requests_state_check" CHECK ("rights_requests"."state" in ('received', 'awaiting_verification', 'verified', 'in_progress', 'extended', 'completed', 'denied'))
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "rights_requests_received_idx" ON "rights_requests" USING btree ("tenant_id","received_at","id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "rights_requests_subject_idx" ON "rights_requests" USING btree ("tenant_id","subject_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "rights_requests_open_idx" ON "rights_requests" USING btree ("tenant_id","respond_by") WHERE "closed_at" IS NULL;--> statement-breakpoint
CREATE TABLE "rights_request_events" (
	"tenant_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"sequence" integer NOT NULL,
	"action" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"reason" text,
	"actor" text NOT NULL,
	"occurred_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rights_request_events_pk" PRIMARY KEY("tenant_id","request_id","sequence"),
	CONSTRAINT "rights_request_events_request_fk" FOREIGN KEY ("tenant_id","request_id") REFERENCES "rights_requests"("tenant_id","id") ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE "request_holidays" (
	"tenant_id" uuid NOT NULL,
	"jurisdiction" text NOT NULL,
	"date" date NOT NULL,
	"name" text NOT NULL,
	"removed" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "request_holidays_pk" PRIMARY KEY("tenant_id","jurisdiction","date")
);
--> statement-breakpoint
CREATE TABLE "request_holiday_years" (
	"tenant_id" uuid NOT NULL,
	"jurisdiction" text NOT NULL,
	"year" integer NOT NULL,
	CONSTRAINT "request_holiday_years_pk" PRIMARY KEY("tenant_id","jurisdiction","year")
);
