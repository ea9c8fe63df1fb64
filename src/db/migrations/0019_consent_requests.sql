-- Double opt-in (src/kernel/consentRequests.ts): a consent asked for but not yet confirmed
-- by the person through the link mailed to them. It is not a ledger event (the ledger says
-- only what the person said); confirming appends the `given` event and sets confirmed_at.
-- Only the SHA-256 of the link's secret is kept; the evidence is sealed under the subject's key.
CREATE TABLE "consent_requests" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"subject_id" uuid NOT NULL,
	"purpose_key" text NOT NULL,
	"channel" text NOT NULL,
	"evidence" text,
	"token_hash" text NOT NULL,
	"requested_at" timestamp (3) with time zone NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"confirmed_at" timestamp (3) with time zone,
	"consent_event_id" uuid,
	"actor" text NOT NULL,
	CONSTRAINT "consent_requests_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "consent_requests_channel_check" CHECK ("consent_requests"."channel" in ('form', 'widget', 'portal', 'import', 'api', 'staff', 'email_link', 'gpc', 'tcf')),
	CONSTRAINT "consent_requests_expiry_check" CHECK ("consent_requests"."expires_at" > "consent_requests"."requested_at")
);
--> statement-breakpoint
CREATE INDEX "consent_requests_subject_idx" ON "consent_requests" USING btree ("tenant_id","subject_id","purpose_key");
