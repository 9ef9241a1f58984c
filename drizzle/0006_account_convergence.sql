ALTER TABLE "backend_accounts" ADD COLUMN "desired_version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "backend_accounts" ADD COLUMN "confirmed_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "backend_accounts" ADD COLUMN "desired_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "backend_accounts" ADD COLUMN "lease_owner" text;--> statement-breakpoint
ALTER TABLE "secrets" ADD COLUMN "revealed_at" timestamp with time zone;--> statement-breakpoint
-- Accounts already converged confirmed the first generation of their desired state.
UPDATE "backend_accounts" SET "confirmed_version" = 1
WHERE "synced_at" IS NOT NULL AND "status" = "desired_status";
--> statement-breakpoint
-- Secrets of accounts proven before this migration were shown in the payload
-- of the mutation that made them: they are not waiting for a pickup.
UPDATE "secrets" s SET "revealed_at" = s."updated_at"
FROM "backend_accounts" a
WHERE s."owner_type" = 'backend_account' AND s."owner_id" = a."id"::text AND a."ownership" IS NOT NULL;
