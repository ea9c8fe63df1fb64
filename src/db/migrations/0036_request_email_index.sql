-- The blind index of a rights request's e-mail (the workspace's e-mail index key, as contacts'
-- lookups use; src/kernel/requestIdentity.ts), kept beside the sealed identity so the privacy
-- portal lists a signed-in person's requests by the address they proved without opening
-- anyone's identity. Cleared with the identity when it is shredded. Requests received before
-- this migration keep null: the index cannot be computed in SQL without opening them, so such
-- a request made with an address that matched no contact is not listed in the portal.
ALTER TABLE "rights_requests" ADD COLUMN "requester_email_index" text;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "rights_requests_email_index_idx" ON "rights_requests" USING btree ("tenant_id","requester_email_index") WHERE "requester_email_index" IS NOT NULL;
