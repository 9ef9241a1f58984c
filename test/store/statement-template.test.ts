import { asc, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { anyUuid, anyUuidPlaceholder, uuidArray } from '../../src/store/repositories/any-uuid.ts';
import { users } from '../../src/store/schema.ts';
import { rowsOf } from '../../src/store/selected-rows.ts';
import { statementTemplate } from '../../src/store/statement-template.ts';
import { seed } from '../support/seed.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();
const dialect = new PgDialect();

describe('a statement template', () => {
  it('renders the text and parameters Drizzle builds for the same values, call after call', async () => {
    const { db } = testStore().store;
    const byIds = statementTemplate<{ ids: string; limit: number }>(
      db.select({ id: users.id }).from(users).where(anyUuidPlaceholder(users.id, 'ids')).orderBy(asc(users.id)).limit(sql.placeholder('limit')),
    );
    for (const values of [{ ids: ['0190c7a0-0000-7000-8000-000000000001'], limit: 5 }, { ids: [], limit: 1 }]) {
      const built = db.select({ id: users.id }).from(users).where(anyUuid(users.id, values.ids)).orderBy(asc(users.id)).limit(values.limit).toSQL();
      const rendered = dialect.sqlToQuery(byIds({ ids: uuidArray(values.ids), limit: values.limit }));
      expect({ sql: rendered.sql, params: rendered.params }).toEqual({ sql: built.sql, params: built.params });
    }
  });

  it('runs on the store with new keys each call', async () => {
    const { store } = testStore();
    const [ada, bob] = await seed(store).users(2);
    const byIds = statementTemplate<{ ids: string }>(store.db.select({ id: users.id }).from(users).where(anyUuidPlaceholder(users.id, 'ids')));
    const ids = async (keys: string[]) => rowsOf(await store.db.execute(byIds({ ids: uuidArray(keys) }))).map((row) => row.id);
    expect(await ids([ada!.id])).toEqual([ada!.id]);
    expect(await ids([bob!.id])).toEqual([bob!.id]);
  });

  it('binds keys as array text, where a null key matches nothing', async () => {
    const { store } = testStore();
    const [ada, bob] = await seed(store).users(2);
    const byIds = statementTemplate<{ ids: string }>(store.db.select({ id: users.id }).from(users).where(anyUuidPlaceholder(users.id, 'ids')).orderBy(asc(users.id)));
    const rows = rowsOf(await store.db.execute(byIds({ ids: uuidArray([bob!.id, null, ada!.id]) })));
    expect(rows.map((row) => row.id)).toEqual([ada!.id, bob!.id].sort());
    expect(rowsOf(await store.db.execute(byIds({ ids: uuidArray([]) })))).toEqual([]);
  });

  it('refuses a call without a value for one of its placeholders', () => {
    const { db } = testStore().store;
    const byIds = statementTemplate<{ ids: string }>(db.select().from(users).where(anyUuidPlaceholder(users.id, 'ids')));
    expect(() => byIds({} as { ids: string })).toThrow(/No value for placeholder "ids"/);
  });
});
