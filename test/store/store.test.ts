import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { users } from '../../src/store/schema.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();

describe('the store', () => {
  it('is migrated and rejects a second user whose email differs only in case', async () => {
    const { db } = testStore().store;
    await db.insert(users).values({ email: 'Ada@example.com', username: 'ada' });
    await expect(db.insert(users).values({ email: 'ada@EXAMPLE.com', username: 'ada2' })).rejects.toThrow();
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
    expect(row?.n).toBe(1);
  });
});
