-- Data Rights Protocol 1.0 (issue 14): authorised agents file rights requests for the people
-- they represent. Their requests are rights_requests of the channel `agent`, worked through the
-- same workflow; a request may now be withdrawn (DRP `revoked`) and a denial carries a code (DRP
-- reasons). Agents are registered per workspace with their Ed25519 verify key; the global
-- drp_agent_lookup routes an agent id and business id, or a bearer token's hash, to its workspace.
-- drp_requests keeps what the agent was last told (the status's digest) so it hears each change once.
-- Signed messages are remembered (by the hash of their signature) until they expire, to refuse replays.
ALTER TABLE "rights_requests" DROP CONSTRAINT "rights_requests_channel_check";--> statement-breakpoint
ALTER TABLE "rights_requests" ADD CONSTRAINT "rights_requests_channel_check" CHECK ("rights_requests"."channel" in ('portal', 'staff', 'api', 'agent'));--> statement-breakpoint
ALTER TABLE "rights_requests" DROP CONSTRAINT "rights_requests_state_check";--> statement-breakpoint
ALTER TABLE "rights_requests" ADD CONSTRAINT "rights_requests_state_check" CHECK ("rights_requests"."state" in ('received', 'awaiting_verification', 'verified', 'in_progress', 'extended', 'completed', 'denied', 'withdrawn'));--> statement-breakpoint
ALTER TABLE "rights_requests" ADD COLUMN "denial_code" text;--> statement-breakpoint
ALTER TABLE "rights_requests" ADD CONSTRAINT "rights_requests_denial_code_check" CHECK ("rights_requests"."denial_code" in ('suspected_fraud', 'insufficient_verification', 'no_match', 'not_covered', 'outside_jurisdiction', 'too_many_requests', 'other'));--> statement-breakpoint
ALTER TABLE "rights_requests" ADD COLUMN "withdrawal_reason" text;--> statement-breakpoint
CREATE TABLE "drp_agents" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"agent_id" text NOT NULL,
	"name" text NOT NULL,
	"verify_key" text NOT NULL,
	"callback_url" text,
	"business_id" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"token_issued_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "drp_agents_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "drp_agents_status_check" CHECK ("drp_agents"."status" in ('active', 'inactive'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "drp_agents_agent_idx" ON "drp_agents" USING btree ("tenant_id","agent_id");--> statement-breakpoint
CREATE TABLE "drp_agent_lookup" (
	"agent_id" text NOT NULL,
	"business_id" text NOT NULL,
	"tenant_id" uuid NOT NULL,
	"agent" uuid NOT NULL,
	"token_hash" text,
	CONSTRAINT "drp_agent_lookup_pk" PRIMARY KEY("agent_id","business_id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "drp_agent_lookup_token_idx" ON "drp_agent_lookup" USING btree ("token_hash");--> statement-breakpoint
CREATE TABLE "drp_requests" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"agent" uuid NOT NULL,
	"agent_request_id" text,
	"exercise" text NOT NULL,
	"regime" text,
	"relationships" text[] DEFAULT '{}' NOT NULL,
	"status_callback" text,
	"callback_version" integer DEFAULT 0 NOT NULL,
	"callback_digest" text,
	"callback_status" integer,
	"callback_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "drp_requests_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "drp_requests_request_fk" FOREIGN KEY ("tenant_id","request_id") REFERENCES "rights_requests"("tenant_id","id") ON DELETE cascade,
	CONSTRAINT "drp_requests_agent_fk" FOREIGN KEY ("tenant_id","agent") REFERENCES "drp_agents"("tenant_id","id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "drp_requests_request_idx" ON "drp_requests" USING btree ("tenant_id","request_id");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "drp_requests_agent_idx" ON "drp_requests" USING btree ("tenant_id","agent");--> statement-breakpoint
CREATE TABLE "drp_signed_messages" (
	"tenant_id" uuid NOT NULL,
	"signature_hash" text NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "drp_signed_messages_pk" PRIMARY KEY("tenant_id","signature_hash")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "drp_signed_messages_expiry_idx" ON "drp_signed_messages" USING btree ("tenant_id","expires_at");
