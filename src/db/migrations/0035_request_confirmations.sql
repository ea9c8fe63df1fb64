-- CCPA: a business confirms receipt of a request to know, delete or correct within 10 business
-- days (Cal. Code Regs. tit. 11, §7021(a)). acknowledge_by (0029) is that confirm-by date in the
-- jurisdiction's working days; acknowledged_at is when staff sent the confirmation to the
-- requester (also a request event); the hourly request-deadlines job reminds once as the date
-- nears and escalates once when it has passed, as it does for the answer.
ALTER TABLE "rights_requests" ADD COLUMN "acknowledged_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "rights_requests" ADD COLUMN "acknowledge_reminded_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "rights_requests" ADD COLUMN "acknowledge_escalated_at" timestamp (3) with time zone;
