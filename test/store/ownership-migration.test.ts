// The migration that records who owns each backend account classifies the
// rows linked before it: what a createUser asked for is CREATED, anything
// else linked (an import, an admin's act) is ADOPTED, unlinked rows stay NULL.
import { readFileSync } from 'node:fs';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEvents, backendAccounts } from '../../src/store/schema.ts';
import { seed } from '../support/seed.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();

const statements = readFileSync(new URL('../../drizzle/0004_account_ownership.sql', import.meta.url), 'utf8')
  .split('--> statement-breakpoint')
  .filter((statement) => !/ADD COLUMN/.test(statement));

describe('0004_account_ownership', () => {
  it('classifies provisioned rows as CREATED, imported ones as ADOPTED, unlinked ones as undetermined, and records the counts', async () => {
    const { store } = testStore();
    const provisioned = await seed(store).user();
    const imported = await seed(store).user();
    await seed(store).account(provisioned.id, 'RETOOL', 'ACTIVE');
    await seed(store).account(provisioned.id, 'FORGE', 'ACTIVE');
    await seed(store).account(imported.id, 'RETOOL', 'ACTIVE');
    await seed(store).account(imported.id, 'FORGE', 'FAILED', { externalId: null });
    // createUser asked for RETOOL only; FORGE was linked later by an import.
    await store.db.insert(auditEvents).values({
      actor: 'admin-token',
      operation: 'createUser',
      targetIds: [encodeGlobalID('User', provisioned.id)],
      outcome: 'CreateUserPayload',
      details: { backends: [{ backend: 'RETOOL', status: 'ACTIVE' }] },
    });
    await store.db.update(backendAccounts).set({ ownership: null });

    for (const statement of statements) await store.db.execute(sql.raw(statement));

    const rows = await store.db.select().from(backendAccounts);
    const of = (userId: string, backend: string) => rows.find((r) => r.userId === userId && r.backend === backend)?.ownership;
    expect([of(provisioned.id, 'RETOOL'), of(provisioned.id, 'FORGE'), of(imported.id, 'RETOOL'), of(imported.id, 'FORGE')]).toEqual([
      'CREATED',
      'ADOPTED',
      'ADOPTED',
      null,
    ]);
    const [note] = await store.db.select().from(auditEvents).where(eq(auditEvents.operation, 'classifyAccountOwnership'));
    expect(note).toMatchObject({ actor: 'migration', details: { created: 1, adopted: 2, undetermined: 1 } });
    expect(note?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  });
});
