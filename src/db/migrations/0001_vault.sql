CREATE TABLE "subject_keys" (
	"tenant_id" uuid NOT NULL,
	"subject_id" uuid NOT NULL,
	"key_version" integer NOT NULL,
	"epoch" integer NOT NULL,
	"wrapped_key" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subject_keys_tenant_id_subject_id_key_version_pk" PRIMARY KEY("tenant_id","subject_id","key_version")
);
--> statement-breakpoint
CREATE TABLE "vault_epochs" (
	"tenant_id" uuid NOT NULL,
	"epoch" integer NOT NULL,
	"state" text DEFAULT 'current' NOT NULL,
	"pending_erasures" integer DEFAULT 0 NOT NULL,
	"first_pending_erasure_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone,
	"destroyed_at" timestamp with time zone,
	CONSTRAINT "vault_epochs_tenant_id_epoch_pk" PRIMARY KEY("tenant_id","epoch"),
	CONSTRAINT "vault_epochs_state_check" CHECK ("vault_epochs"."state" in ('current', 'retired', 'destroyed'))
);
--> statement-breakpoint
ALTER TABLE "subject_keys" ADD CONSTRAINT "subject_keys_tenant_id_epoch_vault_epochs_tenant_id_epoch_fk" FOREIGN KEY ("tenant_id","epoch") REFERENCES "public"."vault_epochs"("tenant_id","epoch") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "subject_keys_epoch_idx" ON "subject_keys" USING btree ("tenant_id","epoch");--> statement-breakpoint
CREATE UNIQUE INDEX "vault_epochs_one_current_idx" ON "vault_epochs" USING btree ("tenant_id") WHERE state = 'current';