-- Erasure that leaves nothing (issue 13): the e-mail addresses of erased people, as the
-- blind index their lookup token had (never the address), so the person cannot come back
-- through create, import, batch upsert, merge or collection unless they return with fresh
-- consent; why each subject was erased; activities kept after an erasure because other
-- records share them, flagged for review.
CREATE TABLE "suppressions" (
	"tenant_id" uuid NOT NULL,
	"email_index" text NOT NULL,
	"suppressed_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "suppressions_pk" PRIMARY KEY("tenant_id","email_index")
);
--> statement-breakpoint
ALTER TABLE "erasures" ADD COLUMN "reason" text;--> statement-breakpoint
ALTER TABLE "erasures" ADD COLUMN "request_id" uuid;--> statement-breakpoint
ALTER TABLE "activities" ADD COLUMN "review_reason" text;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "activities_review_idx" ON "activities" USING btree ("tenant_id","id") WHERE "review_reason" is not null;
