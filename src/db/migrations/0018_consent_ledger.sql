CREATE TABLE "consent_events" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"subject_id" uuid NOT NULL,
	"purpose_key" text NOT NULL,
	"state" text NOT NULL,
	"recorded_at" timestamp (3) with time zone NOT NULL,
	"expires_at" timestamp (3) with time zone,
	"notice_version" integer,
	"notice_hash" text,
	"channel" text NOT NULL,
	"evidence" text,
	"actor" text NOT NULL,
	CONSTRAINT "consent_events_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "consent_events_state_check" CHECK ("consent_events"."state" in ('given', 'refused', 'withdrawn', 'expired', 'renewed', 'opted_out')),
	CONSTRAINT "consent_events_channel_check" CHECK ("consent_events"."channel" in ('form', 'widget', 'portal', 'import', 'api', 'staff', 'email_link', 'gpc', 'tcf')),
	CONSTRAINT "consent_events_expiry_check" CHECK ("consent_events"."expires_at" is null or "consent_events"."state" in ('given', 'renewed'))
);
--> statement-breakpoint
CREATE TABLE "consent_states" (
	"tenant_id" uuid NOT NULL,
	"subject_id" uuid NOT NULL,
	"purpose_key" text NOT NULL,
	"state" text NOT NULL,
	"given_at" timestamp (3) with time zone,
	"expires_at" timestamp (3) with time zone,
	"last_event_at" timestamp (3) with time zone NOT NULL,
	"last_event_id" uuid NOT NULL,
	CONSTRAINT "consent_states_tenant_id_subject_id_purpose_key_pk" PRIMARY KEY("tenant_id","subject_id","purpose_key")
);
--> statement-breakpoint
ALTER TABLE "purposes" ADD COLUMN "consent_validity_days" integer;--> statement-breakpoint
CREATE INDEX "consent_events_subject_idx" ON "consent_events" USING btree ("tenant_id","subject_id","purpose_key","recorded_at","id");--> statement-breakpoint
CREATE INDEX "consent_states_expiry_idx" ON "consent_states" USING btree ("tenant_id","expires_at") WHERE state in ('given', 'renewed') and expires_at is not null;--> statement-breakpoint
-- The consent ledger is append-only, like the audit trail (0005): its events refuse UPDATE,
-- DELETE and TRUNCATE for every role, the owner included. consent_states, the current state
-- folded from it, stays updatable: every event moves it.
CREATE OR REPLACE FUNCTION candor_consent_ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the consent ledger is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER consent_events_append_only BEFORE UPDATE OR DELETE ON consent_events
  FOR EACH STATEMENT EXECUTE FUNCTION candor_consent_ledger_refuse_change();
--> statement-breakpoint
CREATE TRIGGER consent_events_no_truncate BEFORE TRUNCATE ON consent_events
  FOR EACH STATEMENT EXECUTE FUNCTION candor_consent_ledger_refuse_change();
--> statement-breakpoint
-- Each row of the old `consents` table becomes a `given` event at given_at (with its expiry)
-- and, when it was withdrawn, a `withdrawn` event at withdrawn_at. Ties between events of one
-- subject and purpose are broken by id, so the ids are numbered in that order (a row's
-- withdrawal after its giving) and below any id drawn later (UUIDv7, src/db/ids.ts).
-- Overlapping rows of one subject and purpose (which only tests wrote) become one history in
-- which the latest event decides.
INSERT INTO "consent_events" ("tenant_id", "id", "subject_id", "purpose_key", "state", "recorded_at", "expires_at", "channel", "actor")
SELECT k.tenant_id, ('00000000-0000-7000-8000-' || lpad(to_hex(k.n * 2 + e.step), 12, '0'))::uuid, k.subject_id, k.purpose_key,
       e.state, e.recorded_at, e.expires_at, 'import', 'system:migration-0018'
FROM (SELECT c.*, row_number() OVER (ORDER BY c.tenant_id, c.subject_id, c.purpose_key, c.given_at) AS n FROM "consents" c) k
CROSS JOIN LATERAL (VALUES (0, 'given', k.given_at, k.expires_at), (1, 'withdrawn', k.withdrawn_at, NULL::timestamptz)) AS e(step, state, recorded_at, expires_at)
WHERE e.recorded_at IS NOT NULL;
--> statement-breakpoint
-- The current state: the latest event of each subject and purpose (src/kernel/policy/consentLedger.ts folds the same way).
INSERT INTO "consent_states" ("tenant_id", "subject_id", "purpose_key", "state", "given_at", "expires_at", "last_event_at", "last_event_id")
SELECT DISTINCT ON (e.tenant_id, e.subject_id, e.purpose_key)
       e.tenant_id, e.subject_id, e.purpose_key, e.state,
       (SELECT max(g.recorded_at) FROM "consent_events" g
        WHERE g.tenant_id = e.tenant_id AND g.subject_id = e.subject_id AND g.purpose_key = e.purpose_key AND g.state IN ('given', 'renewed')),
       e.expires_at, e.recorded_at, e.id
FROM "consent_events" e
ORDER BY e.tenant_id, e.subject_id, e.purpose_key, e.recorded_at DESC, e.id DESC;
--> statement-breakpoint
DROP TABLE "consents";
