import { and, asc, eq, Placeholder, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { anyUuid, anyUuidPlaceholder, uuidArray } from '../../src/store/repositories/any-uuid.ts';
import { backendAccountsRepository } from '../../src/store/repositories/backend-accounts.ts';
import { secretsRepository } from '../../src/store/repositories/secrets.ts';
import { backendAccounts, newRowId, secrets, users } from '../../src/store/schema.ts';
import { randomSecretKey, SecretBox } from '../../src/store/secret-box.ts';
import { rowsOf } from '../../src/store/selected-rows.ts';
import { usersRepository, userFilters, type UserFilter } from '../../src/store/repositories/users.ts';
import { applyFilters, columnPlaceholder, statementTemplate, type TemplateFilters, together } from '../../src/store/statement-template.ts';
import { seed } from '../support/seed.ts';
import { statementsDuring } from '../support/statements.ts';
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
  const claim = (backends: Array<'RETOOL' | 'FORGE'>) => ({ backends, leaseMs: 60_000, owner: 'template-test' });

  it('give every new row its own id: a default function in a template would run once, when it is built', async () => {
    const { store } = testStore();
    const first = await usersRepository.insertIfFreeWithAccounts(store.db, { email: 'template-a@example.com', username: 'template-a' }, claim(['RETOOL', 'FORGE']));
    const second = await usersRepository.insertIfFreeWithAccounts(store.db, { email: 'template-b@example.com', username: 'template-b' }, claim(['FORGE', 'RETOOL']));
    expect(first?.user).toMatchObject({ email: 'template-a@example.com', username: 'template-a', displayName: null, status: 'ACTIVE', deletedAt: null });
    expect(first?.user.createdAt).toBeInstanceOf(Date);
    // A frozen id would make the second insert a conflict, so nothing back.
    expect(second?.user).toMatchObject({ email: 'template-b@example.com', username: 'template-b' });
    expect(second?.user.id).not.toBe(first?.user.id);
    const ids = [first, second].flatMap((created) => created?.accounts.map((account) => account.id) ?? []);
    expect(new Set(ids).size).toBe(4);
  });

  it('insert the user and its accounts claimed in one statement, and read them back as the builder reads them', async () => {
    const { store } = testStore();
    const { result: created, statements } = await statementsDuring(store, () =>
      usersRepository.insertIfFreeWithAccounts(store.db, { email: 'template-c@example.com', username: 'template-c', firstName: 'Cy' }, claim(['RETOOL', 'FORGE'])),
    );
    expect(statements).toHaveLength(1);
    // The same rows, column for column and type for type, as Drizzle's own select reads them.
    const [user] = await store.db.select().from(users).where(eq(users.id, created?.user.id ?? ''));
    expect(created?.user).toEqual(user);
    const accounts = await backendAccountsRepository.byUserIds(store.db, [created?.user.id ?? '']);
    expect(created?.accounts).toEqual(accounts);
    // Ordered by backend; wanted as the user is; leased to the owner, one attempt: the insert is the claim.
    expect(accounts.map((a) => a.backend)).toEqual(['FORGE', 'RETOOL']);
    for (const account of accounts) {
      expect(account).toMatchObject({ userId: user?.id, desiredStatus: 'ACTIVE', status: 'PENDING', attempts: 1, leaseOwner: 'template-test', ownership: null });
      expect(account.leaseUntil?.getTime()).toBeGreaterThan(Date.now() + 30_000);
    }
    const none = await usersRepository.insertIfFreeWithAccounts(store.db, { email: 'template-d@example.com', username: 'template-d' }, claim([]));
    expect(none).toMatchObject({ user: { username: 'template-d' }, accounts: [] });
  });

  it('insert nothing at all when any unique key is taken', async () => {
    const { store } = testStore();
    const taken = await usersRepository.insertIfFreeWithAccounts(store.db, { email: 'template-e@example.com', username: 'template-e' }, claim(['RETOOL']));
    const before = await store.db.select({ id: backendAccounts.id }).from(backendAccounts);
    // Email in another case; then the username in another case.
    expect(await usersRepository.insertIfFreeWithAccounts(store.db, { email: 'TEMPLATE-E@example.com', username: 'template-f' }, claim(['RETOOL', 'FORGE']))).toBeUndefined();
    expect(await usersRepository.insertIfFreeWithAccounts(store.db, { email: 'template-g@example.com', username: 'Template-E' }, claim(['FORGE']))).toBeUndefined();
    expect(await store.db.select({ id: backendAccounts.id }).from(backendAccounts)).toHaveLength(before.length);
    expect(await usersRepository.byIds(store.db, [taken?.user.id ?? ''])).toHaveLength(1);
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

describe('writes together', () => {
  it('land in one statement (no BEGIN, no COMMIT), or not at all', async () => {
    const { store } = testStore();
    const [ada] = await seed(store).users(1, { displayName: 'Before' });
    const id = ada?.id ?? '';
    const rename = store.db.update(users).set({ displayName: 'Together' }).where(eq(users.id, id)).getSQL();
    const nameOf = async () => (await store.db.select({ name: users.displayName }).from(users).where(eq(users.id, id)))[0]?.name;
    // The last write fails (the id is taken): the rename with it is undone.
    const failing = sql`insert into ${users} (id, email, username) values (${id}, 'together@example.com', 'together')`;
    await expect(store.db.execute(together([rename], failing))).rejects.toThrow();
    expect(await nameOf()).toBe('Before');
    const { statements, transactions } = await statementsDuring(store, () => store.db.execute(together([rename], sql`select 1`)));
    expect(statements).toHaveLength(1);
    expect(transactions ?? 0).toBe(0);
    expect(await nameOf()).toBe('Together');
  });

  it("record an account's link with the secrets it minted, or neither", async () => {
    const { store } = testStore();
    const box = secretsRepository(new SecretBox(randomSecretKey()));
    const created = await usersRepository.insertIfFreeWithAccounts(store.db, { email: 'linked@example.com', username: 'linked' }, { backends: ['FORGE'], leaseMs: 60_000, owner: 'test' });
    const account = created?.accounts[0];
    if (!account) throw new Error('no account');
    const owner = { ownerType: 'backend_account', ownerId: account.id, purpose: 'forge_token' };
    const { statements } = await statementsDuring(store, () =>
      backendAccountsRepository.recordLink(store.db, account.id, { externalId: '7', externalRef: 'linked' }, [box.putStatement(store.db, owner, 'token-1')]),
    );
    expect(statements).toHaveLength(1);
    expect(await backendAccountsRepository.byId(store.db, account.id)).toMatchObject({ externalId: '7', externalRef: 'linked', ownership: 'CREATED' });
    expect(await box.get(store.db, owner)).toBe('token-1');
    // A secret that cannot be stored (no purpose: the column is not null) takes the link down with it.
    const broken = sql`insert into ${secrets} (id, owner_type, owner_id, purpose, key_id, nonce, ciphertext) values (${newRowId()}, 'backend_account', ${account.id}, null, 'k', '', '')`;
    await expect(backendAccountsRepository.recordLink(store.db, account.id, { externalId: '8', externalRef: 'other' }, [broken])).rejects.toThrow();
    expect(await backendAccountsRepository.byId(store.db, account.id)).toMatchObject({ externalId: '7', externalRef: 'linked' });
  });
});
