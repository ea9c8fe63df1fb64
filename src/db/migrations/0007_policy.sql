CREATE TABLE "consents" (
	"tenant_id" uuid NOT NULL,
	"subject_id" uuid NOT NULL,
	"purpose_key" text NOT NULL,
	"given_at" timestamp (3) with time zone NOT NULL,
	"withdrawn_at" timestamp (3) with time zone,
	"expires_at" timestamp (3) with time zone,
	CONSTRAINT "consents_tenant_id_subject_id_purpose_key_given_at_pk" PRIMARY KEY("tenant_id","subject_id","purpose_key","given_at")
);
--> statement-breakpoint
CREATE TABLE "erasures" (
	"tenant_id" uuid NOT NULL,
	"subject_id" uuid NOT NULL,
	"erased_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "erasures_tenant_id_subject_id_pk" PRIMARY KEY("tenant_id","subject_id")
);
--> statement-breakpoint
CREATE TABLE "objections" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"subject_id" uuid NOT NULL,
	"purpose_key" text,
	"objected_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "objections_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "restrictions" (
	"tenant_id" uuid NOT NULL,
	"subject_id" uuid NOT NULL,
	"restricted_at" timestamp (3) with time zone NOT NULL,
	"lifted_at" timestamp (3) with time zone,
	CONSTRAINT "restrictions_tenant_id_subject_id_restricted_at_pk" PRIMARY KEY("tenant_id","subject_id","restricted_at")
);
--> statement-breakpoint
CREATE TABLE "role_purpose_grants" (
	"tenant_id" uuid NOT NULL,
	"role" text NOT NULL,
	"purpose_key" text NOT NULL,
	CONSTRAINT "role_purpose_grants_tenant_id_role_purpose_key_pk" PRIMARY KEY("tenant_id","role","purpose_key")
);
--> statement-breakpoint
ALTER TABLE "role_purpose_grants" ADD CONSTRAINT "role_purpose_grants_tenant_id_purpose_key_purposes_tenant_id_key_fk" FOREIGN KEY ("tenant_id","purpose_key") REFERENCES "public"."purposes"("tenant_id","key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "objections_subject_idx" ON "objections" USING btree ("tenant_id","subject_id");--> statement-breakpoint
CREATE INDEX "contacts_updated_idx" ON "contacts" USING btree ("tenant_id","updated_at","id");