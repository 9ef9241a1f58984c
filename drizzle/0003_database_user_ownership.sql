-- Ownership of each database user's role: CREATED (the gateway created it) or
-- ADOPTED (it existed, and an admin adopted it). Rows written before this
-- migration came from the admin-era API, which adopted any existing role
-- silently on createDatabaseUser: created_role = true means the gateway
-- created the role, anything else was adopted by that admin-only call, so
-- it is classified ADOPTED (never dropped through the gateway).
-- role_oid stays null for those rows; their next write pins the role found
-- then (docs/database-users.md, "Ownership").
ALTER TABLE "database_users" ADD COLUMN "ownership" text;--> statement-breakpoint
UPDATE "database_users" SET "ownership" = CASE WHEN "created_role" THEN 'CREATED' ELSE 'ADOPTED' END;--> statement-breakpoint
ALTER TABLE "database_users" ALTER COLUMN "ownership" SET DEFAULT 'ADOPTED';--> statement-breakpoint
ALTER TABLE "database_users" ALTER COLUMN "ownership" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "database_users" ADD COLUMN "role_oid" bigint;--> statement-breakpoint
ALTER TABLE "database_users" DROP COLUMN "created_role";
