CREATE TABLE "catalog_declarations" (
	"tenant_id" uuid NOT NULL,
	"object" text NOT NULL,
	"field" text NOT NULL,
	"data_category" text NOT NULL,
	"subject" text NOT NULL,
	"sensitivity" text NOT NULL,
	"purposes" text[] NOT NULL,
	"encrypted" boolean NOT NULL,
	"lookup" boolean NOT NULL,
	"search" boolean NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "catalog_declarations_tenant_id_object_field_pk" PRIMARY KEY("tenant_id","object","field")
);
--> statement-breakpoint
ALTER TABLE "catalog_declarations" ADD CONSTRAINT "catalog_declarations_tenant_id_workspaces_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;