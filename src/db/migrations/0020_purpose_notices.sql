CREATE TABLE "purpose_notices" (
	"tenant_id" uuid NOT NULL,
	"purpose_key" text NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"title" text NOT NULL,
	"language" text DEFAULT 'en' NOT NULL,
	"body_markdown" text NOT NULL,
	"content_hash" text NOT NULL,
	"material" boolean DEFAULT false NOT NULL,
	"renewal_grace_days" integer,
	"published_at" timestamp (3) with time zone,
	"published_by" text,
	"renew_by" timestamp (3) with time zone,
	"revision" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "purpose_notices_tenant_id_purpose_key_version_pk" PRIMARY KEY("tenant_id","purpose_key","version"),
	CONSTRAINT "purpose_notices_status_check" CHECK ("purpose_notices"."status" in ('draft', 'published', 'retired')),
	CONSTRAINT "purpose_notices_version_check" CHECK ("purpose_notices"."version" >= 1),
	CONSTRAINT "purpose_notices_published_check" CHECK (("purpose_notices"."status" = 'draft') = ("purpose_notices"."published_at" is null)),
	CONSTRAINT "purpose_notices_material_check" CHECK (("purpose_notices"."material" and "purpose_notices"."status" <> 'draft' and "purpose_notices"."renewal_grace_days" between 0 and 365 and "purpose_notices"."renew_by" is not null) or (not "purpose_notices"."material" and "purpose_notices"."renewal_grace_days" is null and "purpose_notices"."renew_by" is null))
);
--> statement-breakpoint
ALTER TABLE "purpose_notices" ADD CONSTRAINT "purpose_notices_tenant_id_purpose_key_purposes_tenant_id_key_fk" FOREIGN KEY ("tenant_id","purpose_key") REFERENCES "public"."purposes"("tenant_id","key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "purpose_notices_one_draft_idx" ON "purpose_notices" USING btree ("tenant_id","purpose_key") WHERE "purpose_notices"."status" = 'draft';--> statement-breakpoint
CREATE UNIQUE INDEX "purpose_notices_one_published_idx" ON "purpose_notices" USING btree ("tenant_id","purpose_key") WHERE "purpose_notices"."status" = 'published';--> statement-breakpoint
-- A published notice is what people consented to: its words, hash, materiality and dates
-- never change again. The one change allowed is its retirement when a newer version is
-- published (status published → retired, nothing else). Only drafts may be deleted, except
-- when the purpose itself goes (the foreign key's cascade, workspace deletion).
CREATE OR REPLACE FUNCTION candor_purpose_notices_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'draft' AND EXISTS (SELECT 1 FROM purposes WHERE tenant_id = OLD.tenant_id AND key = OLD.purpose_key) THEN
      RAISE EXCEPTION 'a published notice is kept: delete of version % is refused', OLD.version USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status <> 'draft' AND NOT (
    OLD.status = 'published' AND NEW.status = 'retired'
    AND ROW(NEW.tenant_id, NEW.purpose_key, NEW.version, NEW.title, NEW.language, NEW.body_markdown, NEW.content_hash, NEW.material,
            NEW.renewal_grace_days, NEW.published_at, NEW.published_by, NEW.renew_by, NEW.revision, NEW.created_at, NEW.updated_at)
      IS NOT DISTINCT FROM
        ROW(OLD.tenant_id, OLD.purpose_key, OLD.version, OLD.title, OLD.language, OLD.body_markdown, OLD.content_hash, OLD.material,
            OLD.renewal_grace_days, OLD.published_at, OLD.published_by, OLD.renew_by, OLD.revision, OLD.created_at, OLD.updated_at)
  ) THEN
    RAISE EXCEPTION 'a published notice is immutable: change of version % is refused', OLD.version USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER purpose_notices_immutable BEFORE UPDATE OR DELETE ON purpose_notices
  FOR EACH ROW EXECUTE FUNCTION candor_purpose_notices_immutable();
--> statement-breakpoint
-- Every existing purpose gets notice version 1, published from its description (as new
-- purposes get it in code: src/privacy/notices/firstNotice.ts), titled after its key as the
-- app labels it (order_fulfilment → "Order fulfilment", email_marketing → "E-mail marketing").
INSERT INTO purpose_notices (tenant_id, purpose_key, version, status, title, language, body_markdown, content_hash, published_at, published_by)
SELECT p.tenant_id, p.key, 1, 'published',
       upper(left(t.label, 1)) || replace(substr(t.label, 2), '_', ' '),
       'en', p.description, encode(sha256(convert_to(p.description, 'UTF8')), 'hex'), p.created_at, 'system:seed'
FROM purposes p
CROSS JOIN LATERAL (SELECT regexp_replace(p.key, '(^|_)email(?=_|$)', '\1e-mail', 'g') AS label) t
ON CONFLICT DO NOTHING;
