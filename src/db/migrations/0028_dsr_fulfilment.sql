-- The built-in purpose of answering data subjects' rights requests (src/privacy/defaultPurposes.ts:
-- the same words), added to every workspace created before it. A legal obligation with no
-- retention period of its own. A workspace that already has a purpose of that key keeps its own
-- (and, unless it is a legal obligation, gets none of the kernel's overrides: isDsrFulfilment).
INSERT INTO "purposes" ("tenant_id", "key", "description", "legal_basis", "data_use", "retention_days")
SELECT w.id, 'dsr_fulfilment', 'Answering the requests people make about their own data, such as a copy of it.', 'legal_obligation', 'essential.legal_obligation', NULL
FROM "workspaces" w
ON CONFLICT ("tenant_id", "key") DO NOTHING;
--> statement-breakpoint
-- Its default grants (src/kernel/policy/roleGrants.ts): admins and privacy officers, only in
-- workspaces that have grants already (as 0021 does; one with none gets every default grant
-- from the upgrade step run after the migrations).
INSERT INTO "role_purpose_grants" ("tenant_id", "role", "purpose_key")
SELECT p.tenant_id, r.role, p.key
FROM "purposes" p
CROSS JOIN (VALUES ('admin'), ('privacy_officer')) AS r(role)
WHERE p.key = 'dsr_fulfilment'
  AND EXISTS (SELECT 1 FROM "role_purpose_grants" g WHERE g.tenant_id = p.tenant_id)
ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- Its first notice, as 0020 gave every purpose that existed before notices.
INSERT INTO purpose_notices (tenant_id, purpose_key, version, status, title, language, body_markdown, content_hash, published_at, published_by)
SELECT p.tenant_id, p.key, 1, 'published',
       upper(left(p.key, 1)) || replace(substr(p.key, 2), '_', ' '),
       'en', p.description, encode(sha256(convert_to(p.description, 'UTF8')), 'hex'), p.created_at, 'system:seed'
FROM purposes p
WHERE p.key = 'dsr_fulfilment'
ON CONFLICT DO NOTHING;
