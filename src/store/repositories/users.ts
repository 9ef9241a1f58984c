import type { PgColumn } from 'drizzle-orm/pg-core';
import { and, count, eq, getTableColumns, ilike, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { anyUuidPlaceholder } from './any-uuid.ts';
import { statementTemplates } from '../statement-template.ts';
import { type Backend, backendAccounts, type UserRow, type UserStatus, users } from '../schema.ts';
import { chosenColumns, columnKeys, selectRows, tableReader } from '../selected-rows.ts';
import { isUuid } from '../uuid.ts';
import { keyset, likeContains, type PageWindow } from './pagination.ts';

export interface UserFilter {
  email?: string | null | undefined;
  status?: UserStatus | null | undefined;
  backend?: Backend | null | undefined;
  search?: string | null | undefined;
}

export type NewUser = Pick<typeof users.$inferInsert, 'email' | 'username' | 'displayName' | 'firstName' | 'lastName'>;

function conditions(filter: UserFilter): SQL[] {
  const where: SQL[] = [];
  if (filter.email) where.push(sql`lower(${users.email}) = lower(${filter.email})`);
  if (filter.status) where.push(eq(users.status, filter.status));
  if (filter.backend) {
    where.push(
      sql`exists (select 1 from ${backendAccounts} where ${backendAccounts.userId} = ${users.id} and ${backendAccounts.backend} = ${filter.backend})`,
    );
  }
  if (filter.search) {
    const pattern = likeContains(filter.search);
    const match = or(ilike(users.email, pattern), ilike(users.username, pattern), ilike(users.displayName, pattern));
    if (match) where.push(match);
  }
  return where;
}

const readUser = tableReader(users);
const byIdsStatements = statementTemplates<{ ids: string[] }>();
const userColumns = getTableColumns(users);

/** Every column of a user row, by key: what `page` may be asked to read. */
export const USER_COLUMNS = columnKeys<UserRow>(userColumns);
export type UserColumn = (typeof USER_COLUMNS)[number];

export const usersRepository = {
  async byIds(db: Executor, ids: readonly string[]): Promise<UserRow[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    const statement = byIdsStatements('every column', () => db.select().from(users).where(anyUuidPlaceholder(users.id, 'ids')));
    return selectRows(db, statement({ ids: valid }), readUser);
  },

  async byEmail(db: Executor, email: string): Promise<UserRow | undefined> {
    const [row] = await db.select().from(users).where(sql`lower(${users.email}) = lower(${email})`);
    return row;
  },

  async byUsername(db: Executor, username: string): Promise<UserRow | undefined> {
    const [row] = await db.select().from(users).where(sql`lower(${users.username}) = lower(${username})`);
    return row;
  },

  /** Rows that would collide with a new user on email or username, ignoring case. */
  async conflicting(db: Executor, email: string, username: string): Promise<UserRow[]> {
    return db
      .select()
      .from(users)
      .where(or(sql`lower(${users.email}) = lower(${email})`, sql`lower(${users.username}) = lower(${username})`));
  },

  /** One keyset page; each row holds only `columns` (see `chosenColumns`), `id` always among them. */
  async page(db: Executor, filter: UserFilter, window: PageWindow, columns: readonly UserColumn[] = USER_COLUMNS): Promise<UserRow[]> {
    const page = keyset(users.id, window);
    const chosen = chosenColumns<UserRow, PgColumn>(userColumns, columns);
    const query = db
      .select(chosen.columns)
      .from(users)
      .where(and(...conditions(filter), ...page.where))
      .orderBy(page.orderBy)
      .limit(page.limit);
    return selectRows(db, query, chosen.read);
  },

  async count(db: Executor, filter: UserFilter): Promise<number> {
    const [row] = await db
      .select({ n: count() })
      .from(users)
      .where(and(...conditions(filter)));
    return row?.n ?? 0;
  },

  async insert(db: Executor, user: NewUser): Promise<UserRow> {
    const [row] = await db.insert(users).values(user).returning();
    if (!row) throw new Error('insert into users returned no row');
    return row;
  },

  async setStatus(db: Executor, id: string, status: UserStatus): Promise<UserRow | undefined> {
    const [row] = await db.update(users).set({ status, updatedAt: new Date() }).where(eq(users.id, id)).returning();
    return row;
  },
};
