import { and, asc, eq, Placeholder, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { anyUuid, anyUuidPlaceholder, uuidArray } from '../../src/store/repositories/any-uuid.ts';
import { users } from '../../src/store/schema.ts';
import { rowsOf } from '../../src/store/selected-rows.ts';
import { usersRepository, userFilters, type UserFilter } from '../../src/store/repositories/users.ts';
import { applyFilters, columnPlaceholder, statementTemplate, type TemplateFilters } from '../../src/store/statement-template.ts';
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

describe('the filters of a templated statement', () => {
  type Input = { email?: string; status?: 'ACTIVE' | 'DISABLED'; username?: string };
  const twoFilters: TemplateFilters<Input, { email: string; status: 'ACTIVE' | 'DISABLED' }> = {
    email: { value: (input) => input.email, condition: (email) => eq(users.email, email) },
    status: { value: (input) => input.status, condition: (status) => eq(users.status, status) },
  };
  /** The distinct placeholders (or values) a statement with `conditions` binds, in order. */
  const placeholdersOf = (conditions: ReturnType<typeof sql>[]) => [
    ...new Set(dialect.sqlToQuery(and(...conditions) ?? sql``).params.map((param) => (param instanceof Placeholder ? param.name : param))),
  ].join(',');

  it('key a template by the filters it binds, and bind exactly those', () => {
    const keys = new Set<string>();
    for (const input of [{}, { email: 'a@example.com' }, { status: 'ACTIVE' as const }, { email: 'a@example.com', status: 'ACTIVE' as const }]) {
      const applied = applyFilters(twoFilters, input);
      expect(placeholdersOf(applied.conditions('placeholders'))).toBe(applied.key);
      keys.add(applied.key);
    }
    expect(keys.size).toBe(4);
  });

  it('give a filter added to the table its own key: a template built without it is never reused for it', () => {
    const threeFilters: TemplateFilters<Input, { email: string; status: 'ACTIVE' | 'DISABLED'; username: string }> = {
      ...twoFilters,
      username: { value: (input) => input.username, condition: (username) => eq(users.username, username) },
    };
    const without = applyFilters(threeFilters, { status: 'ACTIVE' });
    const withIt = applyFilters(threeFilters, { status: 'ACTIVE', username: 'ada' });
    expect(withIt.key).not.toBe(without.key);
    expect(placeholdersOf(withIt.conditions('placeholders'))).toBe(withIt.key);
    expect(withIt.values).toEqual({ status: 'ACTIVE', username: 'ada' });
  });

  it('key every combination of the users page filters by exactly the placeholders its statement binds', () => {
    const options: Array<Partial<UserFilter>> = [{ email: 'a@example.com' }, { status: 'DISABLED' }, { backend: 'FORGE' }, { search: 'ad' }];
    const keys = new Set<string>();
    for (let mask = 0; mask < 1 << options.length; mask += 1) {
      const filter: UserFilter = Object.assign({}, ...options.filter((_option, i) => mask & (1 << i)));
      const applied = userFilters(filter);
      expect(placeholdersOf(applied.conditions('placeholders'))).toBe(applied.key);
      keys.add(applied.key);
    }
    expect(keys.size).toBe(1 << options.length);
  });

  it('answer a users page with another filter from its own statement, not the last one', async () => {
    const { store } = testStore();
    const [ada] = await seed(store).users(3);
    const window = { limit: 10, inverted: false };
    const active = await usersRepository.page(store.db, { status: 'ACTIVE' }, window, ['id', 'email']);
    const searched = await usersRepository.page(store.db, { status: 'ACTIVE', search: ada!.email }, window, ['id', 'email']);
    expect(active.length).toBeGreaterThan(1);
    expect(searched.map((row) => row.id)).toEqual([ada!.id]);
  });
});

describe("a create's writes as templates", () => {
  it('give every new row its own id: a default function in a template would run once, when it is built', async () => {
    const { store } = testStore();
    const first = await usersRepository.insertIfFree(store.db, { email: 'template-a@example.com', username: 'template-a' });
    const second = await usersRepository.insertIfFree(store.db, { email: 'template-b@example.com', username: 'template-b' });
    expect(first).toMatchObject({ email: 'template-a@example.com', username: 'template-a', displayName: null, status: 'ACTIVE', deletedAt: null });
    expect(first?.createdAt).toBeInstanceOf(Date);
    // A frozen id would make the second insert a conflict, so nothing back.
    expect(second).toMatchObject({ email: 'template-b@example.com', username: 'template-b' });
    expect(second?.id).not.toBe(first?.id);
    // Taken: nothing inserted, nothing returned.
    expect(await usersRepository.insertIfFree(store.db, { email: 'TEMPLATE-A@example.com', username: 'template-c' })).toBeUndefined();
  });

  it("bind a placeholder in an update's set with its column's encoder, as the builder binds the value", () => {
    const { db } = testStore().store;
    const at = new Date('2026-01-02T03:04:05.678Z');
    const template = statementTemplate<{ at: Date; id: string }>(
      db.update(users).set({ updatedAt: columnPlaceholder('at', users.updatedAt) }).where(eq(users.id, sql.placeholder('id'))),
    );
    const rendered = dialect.sqlToQuery(template({ at, id: 'x' }));
    const built = db.update(users).set({ updatedAt: at }).where(eq(users.id, 'x')).toSQL();
    expect({ sql: rendered.sql, params: rendered.params }).toEqual({ sql: built.sql, params: built.params });
    expect(rendered.params[0]).toBe('2026-01-02T03:04:05.678Z');
  });
});
