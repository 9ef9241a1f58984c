import type { PgColumn } from 'drizzle-orm/pg-core';
import { and, count, eq, getTableColumns, ilike, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { rowsByUuids } from './any-uuid.ts';
import { applyFilters, composedStatement, statementTemplates, type TemplateFilters } from '../statement-template.ts';
import { type Backend, type BackendAccountRow, backendAccounts, newRowId, type UserRow, type UserStatus, users } from '../schema.ts';
import { chosenColumns, columnKeys, prefixedColumns, rowsOf, selectRows, tableReader } from '../selected-rows.ts';
import { type AccountClaim, byBackend, claimedAccountInserts, claimedAccountValues } from './backend-accounts.ts';
import { isUuid } from '../uuid.ts';
import { keysetTemplate, likeContains, type PageWindow, type WindowValues } from './pagination.ts';

export interface UserFilter {
  email?: string | null | undefined;
  status?: UserStatus | null | undefined;
  backend?: Backend | null | undefined;
  search?: string | null | undefined;
}

export type NewUser = Pick<typeof users.$inferInsert, 'email' | 'username' | 'displayName' | 'firstName' | 'lastName' | 'scimUserName' | 'externalId'>;

/** The fields `updateProfile` may change; an absent one stays as it is. */
export type ProfilePatch = Partial<Pick<typeof users.$inferInsert, 'email' | 'displayName' | 'firstName' | 'lastName'>>;

/** Reads hide deleted users unless asked (the worker, restoreUser and authentication must see them). */
export interface Visibility {
  includeDeleted?: boolean;
}

const visible = (options: Visibility) => (row: UserRow | undefined) => (row && (options.includeDeleted || row.deletedAt === null) ? row : undefined);

/** The values the filters bind, by the placeholder each takes in a page statement. */
type FilterValues = {
  email: string;
  status: UserStatus;
  backend: Backend;
  pattern: string;
};

/**
 * Every filter of a users page or count, by its placeholder: the one table
 * both the conditions and the page template's key come from
 * (`applyFilters`), so a filter added here is in the key of every template
 * holding its condition.
 */
const USER_FILTERS: TemplateFilters<UserFilter, FilterValues> = {
  email: {
    value: (filter) => filter.email || undefined,
    condition: (email) => sql`lower(${users.email}) = lower(${email})`,
  },
  status: {
    value: (filter) => filter.status || undefined,
    condition: (status) => eq(users.status, status),
  },
  backend: {
    value: (filter) => filter.backend || undefined,
    condition: (backend) =>
      sql`exists (select 1 from ${backendAccounts} where ${backendAccounts.userId} = ${users.id} and ${backendAccounts.backend} = ${backend})`,
  },
  pattern: {
    value: (filter) => (filter.search ? likeContains(filter.search) : undefined),
    condition: (pattern) => or(ilike(users.email, pattern), ilike(users.username, pattern), ilike(users.displayName, pattern)),
  },
};

/** The filters of a users page or count that apply to `filter`. */
export const userFilters = (filter: UserFilter) => applyFilters(USER_FILTERS, filter);

// Every placeholder a page statement may hold; a statement holds those of its applied filters and window.
type PageValues = Partial<FilterValues> & WindowValues;
const pageStatements = statementTemplates<PageValues>();
// A create's writes, built once (docs/performance.md, change 34).
const writeStatements = statementTemplates<Record<string, unknown>>();
// A create answers its user and accounts in one row set, told apart by prefix (`prefixedColumns`).
const NEW_USER = sql`${sql.identifier('new_user')}`;
const NEW_ACCOUNTS = sql`${sql.identifier('new_accounts')}`;
const USER_PREFIX = 'user_';
const ACCOUNT_PREFIX = 'account_';
const readNewUser = tableReader(users, USER_PREFIX);
const readNewAccount = tableReader(backendAccounts, ACCOUNT_PREFIX);
const userColumns = getTableColumns(users);

/** Every column of a user row, by key: what `page` may be asked to read. */
export const USER_COLUMNS = columnKeys<UserRow>(userColumns);
export type UserColumn = (typeof USER_COLUMNS)[number];
const usersById = rowsByUuids<UserRow>(users, userColumns, users.id);

export const usersRepository = {
  // Deleted rows are dropped after the read, not in the statement: the
  // statements stay the ones every batched load shares, and a tombstone is rare.
  async byIds(db: Executor, ids: readonly string[], options: Visibility = {}): Promise<UserRow[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    const rows = await usersById(db, valid, USER_COLUMNS);
    return options.includeDeleted ? rows : rows.filter((row) => row.deletedAt === null);
  },

  async byEmail(db: Executor, email: string, options: Visibility = {}): Promise<UserRow | undefined> {
    const [row] = await db.select().from(users).where(sql`lower(${users.email}) = lower(${email})`);
    return visible(options)(row);
  },

  async byUsername(db: Executor, username: string, options: Visibility = {}): Promise<UserRow | undefined> {
    const [row] = await db.select().from(users).where(sql`lower(${users.username}) = lower(${username})`);
    return visible(options)(row);
  },

  /** Rows that would collide with a new user on email or username, ignoring case; deleted users included (they keep both). */
  async conflicting(db: Executor, email: string, username: string): Promise<UserRow[]> {
    return db
      .select()
      .from(users)
      .where(or(sql`lower(${users.email}) = lower(${email})`, sql`lower(${users.username}) = lower(${username})`));
  },

  /**
   * One keyset page; each row holds only `columns` (see `chosenColumns`),
   * `id` always among them. The statement is a template per column set and
   * shape of filter and window.
   */
  async page<K extends UserColumn>(db: Executor, filter: UserFilter, window: PageWindow, columns: readonly K[]): Promise<Array<Pick<UserRow, K>>> {
    const chosen = chosenColumns<UserRow, K, PgColumn>(userColumns, columns);
    const applied = userFilters(filter);
    const bounds = keysetTemplate(users.id, window);
    const statement = pageStatements([columns.join(','), applied.key, bounds.key].join('|'), () => {
      const page = bounds.build();
      return db
        .select(chosen.columns)
        .from(users)
        .where(and(isNull(users.deletedAt), ...applied.conditions('placeholders'), ...page.where))
        .orderBy(page.orderBy)
        .limit(page.limit);
    });
    return selectRows(db, statement({ ...applied.values, ...bounds.values }), chosen.read);
  },

  async count(db: Executor, filter: UserFilter): Promise<number> {
    const [row] = await db
      .select({ n: count() })
      .from(users)
      .where(and(isNull(users.deletedAt), ...userFilters(filter).conditions('values')));
    return row?.n ?? 0;
  },

  async insert(db: Executor, user: NewUser): Promise<UserRow> {
    const [row] = await db.insert(users).values(user).returning();
    if (!row) throw new Error('insert into users returned no row');
    return row;
  },

  /**
   * A new user, unless any unique key (email, username, SCIM userName, any
   * case) is taken (undefined then, and the caller looks at who holds it),
   * with its accounts inserted already claimed (`claimedAccountInserts`):
   * one statement, atomic by itself, where an insert of the user and one of
   * its accounts in a transaction took four round trips (docs/performance.md,
   * change 35).
   */
  async insertIfFreeWithAccounts(db: Executor, user: NewUser, claim: AccountClaim): Promise<{ user: UserRow; accounts: BackendAccountRow[] } | undefined> {
    const statement = writeStatements(`insertIfFreeWithAccounts|${claim.backends.length}`, () => {
      const insertUser = db
        .insert(users)
        .values({
          id: sql.placeholder('id'),
          email: sql.placeholder('email'),
          username: sql.placeholder('username'),
          displayName: sql.placeholder('displayName'),
          firstName: sql.placeholder('firstName'),
          lastName: sql.placeholder('lastName'),
          scimUserName: sql.placeholder('scimUserName'),
          externalId: sql.placeholder('externalId'),
        })
        .onConflictDoNothing()
        .returning();
      const userColumns = prefixedColumns(NEW_USER, users, USER_PREFIX);
      if (claim.backends.length === 0) return composedStatement(sql`with ${NEW_USER} as (${insertUser.getSQL()}) select ${userColumns} from ${NEW_USER}`);
      const { ctes, accounts } = claimedAccountInserts(NEW_USER, claim.backends.length);
      return composedStatement(
        sql`with ${NEW_USER} as (${insertUser.getSQL()}), ${sql.join(ctes, sql`, `)} select ${userColumns}, ${prefixedColumns(NEW_ACCOUNTS, backendAccounts, ACCOUNT_PREFIX)} from ${NEW_USER} cross join ${accounts} as ${NEW_ACCOUNTS}`,
      );
    });
    const rows = rowsOf(
      await db.execute(
        statement({
          id: newRowId(),
          email: user.email,
          username: user.username,
          displayName: user.displayName ?? null,
          firstName: user.firstName ?? null,
          lastName: user.lastName ?? null,
          scimUserName: user.scimUserName ?? null,
          externalId: user.externalId ?? null,
          ...claimedAccountValues(claim),
        }),
      ),
    );
    const [first] = rows;
    if (!first) return undefined;
    const accounts = claim.backends.length === 0 ? [] : rows.map(readNewAccount);
    return { user: readNewUser(first), accounts: accounts.sort(byBackend) };
  },

  async setStatus(db: Executor, id: string, status: UserStatus): Promise<UserRow | undefined> {
    const [row] = await db
      .update(users)
      .set({ status, updatedAt: new Date() })
      .where(and(eq(users.id, id), isNull(users.deletedAt)))
      .returning();
    return row;
  },

  /** Undefined when the user does not exist or is deleted. */
  async updateProfile(db: Executor, id: string, patch: ProfilePatch): Promise<UserRow | undefined> {
    const [row] = await db
      .update(users)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(users.id, id), isNull(users.deletedAt)))
      .returning();
    return row;
  },

  /** Marks the user deleted once; undefined when it does not exist or already is. */
  async markDeleted(db: Executor, id: string, deletedBy: string): Promise<UserRow | undefined> {
    const [row] = await db
      .update(users)
      .set({ deletedAt: new Date(), deletedBy, updatedAt: new Date() })
      .where(and(eq(users.id, id), isNull(users.deletedAt)))
      .returning();
    return row;
  },

  /** Clears the tombstone; undefined when the user does not exist or is not deleted. */
  async restore(db: Executor, id: string): Promise<UserRow | undefined> {
    const [row] = await db
      .update(users)
      .set({ deletedAt: null, deletedBy: null, updatedAt: new Date() })
      .where(and(eq(users.id, id), isNotNull(users.deletedAt)))
      .returning();
    return row;
  },
};
