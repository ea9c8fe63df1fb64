-- The customer privacy portal's sign-ins and sessions (src/db/schema/portal.ts): a person
-- proves they hold an e-mail address with a mailed code, then holds a short session. The
-- address is sealed by the kernel under a data key of the sign-in's own (subject id = the
-- sign-in id), never stored plain; codes and session secrets only as hashes.
CREATE TABLE "portal_sign_ins" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"sealed_email" text NOT NULL,
	"code_hash" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"used_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "portal_sign_ins_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "portal_sign_ins_expires_idx" ON "portal_sign_ins" USING btree ("tenant_id","expires_at");
--> statement-breakpoint
CREATE TABLE "portal_sessions" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"sign_in_id" uuid NOT NULL,
	"secret_hash" text NOT NULL,
	"csrf_token" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"idle_expires_at" timestamp (3) with time zone NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "portal_sessions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "portal_sessions_sign_in_fk" FOREIGN KEY ("tenant_id","sign_in_id") REFERENCES "portal_sign_ins"("tenant_id","id") ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "portal_sessions_sign_in_idx" ON "portal_sessions" USING btree ("tenant_id","sign_in_id");
