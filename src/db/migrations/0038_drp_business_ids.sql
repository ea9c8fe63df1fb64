-- The Data Rights Protocol business id belongs to the workspace (security review): Candor
-- generates it once per workspace and keeps it in the global drp_business_lookup, unique, so
-- no admin can type another workspace's id and take its agents' requests. drp_agents and
-- drp_agent_lookup keep a copy of their workspace's id, which never changes. Workspaces that
-- had agents get their id here; their agents' ids typed before are replaced by it, and their
-- bearer tokens are revoked (the agent signs the new business-id and sets up again). Other
-- workspaces get theirs when it is first read. Generated ids are CANDOR_ and 16 letters A to P
-- here, as the spec's directory pattern [A-Z_]+ asks.
CREATE TABLE "drp_business_lookup" (
	"business_id" text PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	CONSTRAINT "drp_business_lookup_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "workspaces"("id") ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "drp_business_lookup_tenant_idx" ON "drp_business_lookup" USING btree ("tenant_id");--> statement-breakpoint
INSERT INTO "drp_business_lookup" ("business_id", "tenant_id")
  SELECT 'CANDOR_' || translate(upper(substr(md5(random()::text || t.tenant_id::text), 1, 16)), '0123456789', 'GHIJKLMNOP'), t.tenant_id
  FROM (SELECT DISTINCT "tenant_id" FROM "drp_agents") t;--> statement-breakpoint
UPDATE "drp_agents" a SET "business_id" = b."business_id", "token_issued_at" = NULL, "version" = a."version" + 1, "updated_at" = now()
  FROM "drp_business_lookup" b WHERE b."tenant_id" = a."tenant_id" AND a."business_id" <> b."business_id";--> statement-breakpoint
UPDATE "drp_agent_lookup" l SET "business_id" = b."business_id", "token_hash" = NULL
  FROM "drp_business_lookup" b WHERE b."tenant_id" = l."tenant_id" AND l."business_id" <> b."business_id";
