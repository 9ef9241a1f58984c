CREATE TABLE "resource_pool_providers" (
	"pool_id" uuid NOT NULL,
	"provider_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resource_pool_providers_pool_id_provider_id_pk" PRIMARY KEY("pool_id","provider_id")
);
--> statement-breakpoint
ALTER TABLE "resource_pool_providers" ADD CONSTRAINT "resource_pool_providers_pool_id_resource_pools_id_fk" FOREIGN KEY ("pool_id") REFERENCES "public"."resource_pools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource_pool_providers" ADD CONSTRAINT "resource_pool_providers_provider_id_oauth2_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."oauth2_providers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "resource_pool_providers_provider_idx" ON "resource_pool_providers" USING btree ("provider_id","pool_id");--> statement-breakpoint
-- Pools linked before this table existed keep their provider as a link.
INSERT INTO "resource_pool_providers" ("pool_id", "provider_id") SELECT "id", "provider_id" FROM "resource_pools" WHERE "provider_id" IS NOT NULL ON CONFLICT DO NOTHING;
