ALTER TABLE "users" ADD COLUMN "scim_user_name" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "external_id" text;--> statement-breakpoint
CREATE UNIQUE INDEX "users_scim_user_name_lower_key" ON "users" USING btree (lower("scim_user_name"));--> statement-breakpoint
CREATE INDEX "users_external_id_idx" ON "users" USING btree ("external_id");