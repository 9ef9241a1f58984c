ALTER TABLE "backend_accounts" ADD COLUMN "ownership" text;
--> statement-breakpoint
-- Classify the accounts linked before ownership was recorded. An account
-- row that a createUser mutation asked for (its audit event targets the user
-- and lists the backend) was provisioned by the gateway: CREATED. Any other
-- linked row was made by an import (syncBackend), which only an admin may
-- run: ADOPTED. Rows not linked yet stay NULL and are proven on their next
-- attempt. The counts are kept as an audit event (operation
-- "classifyAccountOwnership", actor "migration").
UPDATE "backend_accounts" a SET "ownership" = CASE
    WHEN EXISTS (
      SELECT 1 FROM "audit_events" e
      WHERE e."operation" = 'createUser'
        AND e."target_ids" @> jsonb_build_array(encode(convert_to('User:' || a."user_id"::text, 'UTF8'), 'base64'))
        AND e."details" -> 'backends' @> jsonb_build_array(jsonb_build_object('backend', a."backend"))
    ) THEN 'CREATED'
    ELSE 'ADOPTED'
  END
WHERE a."external_id" IS NOT NULL;
--> statement-breakpoint
INSERT INTO "audit_events" ("id", "actor", "operation", "target_ids", "outcome", "details")
-- A version-7 id (time-ordered, as every row's id is), so the event sorts where it happened.
SELECT overlay(overlay(overlay(md5(random()::text || clock_timestamp()::text)
    placing lpad(to_hex((extract(epoch from clock_timestamp()) * 1000)::bigint), 12, '0') from 1 for 12)
    placing '7' from 13 for 1) placing '8' from 17 for 1)::uuid,
  'migration', 'classifyAccountOwnership', '[]'::jsonb, 'ClassifyAccountOwnershipResult',
  jsonb_build_object(
    'created', count(*) FILTER (WHERE "ownership" = 'CREATED'),
    'adopted', count(*) FILTER (WHERE "ownership" = 'ADOPTED'),
    'undetermined', count(*) FILTER (WHERE "ownership" IS NULL)
  )
FROM "backend_accounts"
HAVING count(*) > 0;
