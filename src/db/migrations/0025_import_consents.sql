-- The consents an import's consent columns recorded, and how many of them were already
-- expired by their date (older than the purpose's consent validity): shown in its report.
ALTER TABLE "import_batches" ADD COLUMN "consent_events" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "import_batches" ADD COLUMN "expired_consents" integer DEFAULT 0 NOT NULL;
