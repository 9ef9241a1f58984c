import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { resourcePools, users } from '../../src/store/schema.ts';
import { usersRepository } from '../../src/store/repositories/users.ts';
import { selectRows, tableReader } from '../../src/store/selected-rows.ts';
import { seed } from '../support/seed.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();

describe('rows read through the hot-path reader', () => {
  it('equal what Drizzle maps for the same statement: dates, nulls, text', async () => {
    const { db } = testStore().store;
    await db.insert(users).values({ email: 'reader@example.com', username: 'reader', displayName: null, firstName: 'Rea' });
    const query = db.select().from(users).where(eq(users.username, 'reader'));

    const read = await selectRows(db, query, tableReader(users));

    expect(read).toEqual(await query);
    expect(read[0]?.createdAt).toBeInstanceOf(Date);
    expect(read[0]?.displayName).toBeNull();
  });

  it('equal what Drizzle maps for jsonb and booleans', async () => {
    const { db } = testStore().store;
    await db.insert(resourcePools).values({ name: 'reader-pool', public: true, quota: { cpu: 1.5, memory: 8, gpu: 0 } });
    const query = db.select().from(resourcePools).where(eq(resourcePools.name, 'reader-pool'));

    const read = await selectRows(db, query, tableReader(resourcePools));

    expect(read).toEqual(await query);
    expect(read[0]?.quota).toEqual({ cpu: 1.5, memory: 8, gpu: 0 });
    expect(read[0]?.public).toBe(true);
  });

  it('are typed as the columns chosen: reading another is a type error (npm run typecheck)', async () => {
    const { store } = testStore();
    await seed(store).users(1);
    const [row] = await usersRepository.page(store.db, {}, { limit: 1, inverted: false }, ['id', 'email']);
    expect(Object.keys(row ?? {}).sort()).toEqual(['email', 'id']);
    // @ts-expect-error `status` was not chosen, so the row type has no such key
    expect(row?.status).toBeUndefined();
  });
});
