-- Idempotency records kept a plain SHA-256 of the request body, which outlived an erased
-- contact: anyone holding a database copy could confirm a guessed e-mail address by hashing
-- it. From now on the request is kept as an HMAC under a workspace key held in the key store
-- (outside the database), in a column named for what it is. The old hashes cannot be
-- converted without their bodies, so they are deleted: a client retrying, after the upgrade,
-- a request it first sent before it creates the record again.
DELETE FROM "idempotency_keys";
--> statement-breakpoint
ALTER TABLE "idempotency_keys" RENAME COLUMN "request_hash" TO "request_fingerprint";
