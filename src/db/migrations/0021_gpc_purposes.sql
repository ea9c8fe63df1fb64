-- The purposes a US opt-out of sale, sharing and targeted advertising covers (Global Privacy
-- Control, src/privacy/gpc.ts), added to every workspace created before they were among the
-- defaults (src/privacy/defaultPurposes.ts: the same words; test/gpcPurposesMigration.test.ts
-- holds the two together). A workspace that already has a purpose of that key keeps its own.
INSERT INTO "purposes" ("tenant_id", "key", "description", "legal_basis", "data_use", "retention_days")
SELECT w.id, p.key, p.description, 'consent', p.data_use, p.retention_days
FROM "workspaces" w
CROSS JOIN (VALUES
  ('targeted_advertising', 'Showing you our advertising on other websites and apps, chosen from what you did on ours, through advertising partners.', 'marketing.advertising.third_party.targeted', 395),
  ('third_party_sharing', 'Sharing your details with selected partners for their own use, including any sale of personal information.', 'third_party_sharing', 365)
) AS p(key, description, data_use, retention_days)
ON CONFLICT ("tenant_id", "key") DO NOTHING;
--> statement-breakpoint
-- The default grants of these purposes (src/kernel/policy/roleGrants.ts): admins and privacy
-- officers get every purpose, marketing the marketing.* data uses. Only in workspaces that
-- have grants already: one with none gets every default grant from the upgrade step run
-- after the migrations (grantDefaultsToUngrantedWorkspaces), which a grant here would stop.
INSERT INTO "role_purpose_grants" ("tenant_id", "role", "purpose_key")
SELECT p.tenant_id, r.role, p.key
FROM "purposes" p
JOIN (VALUES ('admin', NULL), ('privacy_officer', NULL), ('marketing', 'marketing.')) AS r(role, data_use_prefix)
  ON r.data_use_prefix IS NULL OR starts_with(p.data_use, r.data_use_prefix)
WHERE p.key IN ('targeted_advertising', 'third_party_sharing')
  AND EXISTS (SELECT 1 FROM "role_purpose_grants" g WHERE g.tenant_id = p.tenant_id)
ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- Their first notice, as 0020 gave every purpose that existed before notices (the same
-- wording: version 1, published from the purpose's description).
INSERT INTO purpose_notices (tenant_id, purpose_key, version, status, title, language, body_markdown, content_hash, published_at, published_by)
SELECT p.tenant_id, p.key, 1, 'published',
       upper(left(p.key, 1)) || replace(substr(p.key, 2), '_', ' '),
       'en', p.description, encode(sha256(convert_to(p.description, 'UTF8')), 'hex'), p.created_at, 'system:seed'
FROM purposes p
WHERE p.key IN ('targeted_advertising', 'third_party_sharing')
ON CONFLICT DO NOTHING;
