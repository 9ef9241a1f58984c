import { and, asc, count, eq, getTableColumns, isNull, ne } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { rowsByUuids } from './any-uuid.ts';
import { type DatabaseUserRow, databaseUsers } from '../schema.ts';
import { columnKeys } from '../selected-rows.ts';
import { isUuid } from '../uuid.ts';
import { keyset, type PageWindow } from './pagination.ts';

export type NewDatabaseUser = Pick<typeof databaseUsers.$inferInsert, 'username' | 'dbOwner' | 'attributes' | 'roles' | 'status' | 'ownership' | 'roleOid'>;

const databaseUserColumns = getTableColumns(databaseUsers);

/** Every column of a database user row, by key: what `byIds` may be asked to read. */
export const DATABASE_USER_COLUMNS = columnKeys<DatabaseUserRow>(databaseUserColumns);
export type DatabaseUserColumn = (typeof DATABASE_USER_COLUMNS)[number];
const databaseUsersById = rowsByUuids<DatabaseUserRow>(databaseUsers, databaseUserColumns, databaseUsers.id);

export const databaseUsersRepository = {
  /** Each row holds only `columns` (see `chosenColumns`), `id` always among them. */
  async byIds(db: Executor, ids: readonly string[], columns: readonly DatabaseUserColumn[] = DATABASE_USER_COLUMNS): Promise<DatabaseUserRow[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    return databaseUsersById(db, valid, columns);
  },

  async byId(db: Executor, id: string): Promise<DatabaseUserRow | undefined> {
    if (!isUuid(id)) return undefined;
    const [row] = await db.select().from(databaseUsers).where(eq(databaseUsers.id, id));
    return row;
  },

  /** Exact, case-sensitive: Postgres role names are. */
  async byUsername(db: Executor, username: string): Promise<DatabaseUserRow | undefined> {
    const [row] = await db.select().from(databaseUsers).where(eq(databaseUsers.username, username));
    return row;
  },

  async ownerOtherThan(db: Executor, id: string | undefined): Promise<DatabaseUserRow | undefined> {
    const isOwner = eq(databaseUsers.dbOwner, true);
    const [row] = await db
      .select()
      .from(databaseUsers)
      .where(id === undefined ? isOwner : and(isOwner, ne(databaseUsers.id, id)))
      .orderBy(asc(databaseUsers.id))
      .limit(1);
    return row;
  },

  async page(db: Executor, window: PageWindow): Promise<DatabaseUserRow[]> {
    const page = keyset(databaseUsers.id, window);
    return db
      .select()
      .from(databaseUsers)
      .where(and(...page.where))
      .orderBy(page.orderBy)
      .limit(page.limit);
  },

  async count(db: Executor): Promise<number> {
    const [row] = await db.select({ n: count() }).from(databaseUsers);
    return row?.n ?? 0;
  },

  async insert(db: Executor, user: NewDatabaseUser): Promise<DatabaseUserRow> {
    const [row] = await db.insert(databaseUsers).values(user).returning();
    if (!row) throw new Error('insert into database_users returned no row');
    return row;
  },

  async setStatus(db: Executor, id: string, status: DatabaseUserRow['status']): Promise<DatabaseUserRow | undefined> {
    const [row] = await db.update(databaseUsers).set({ status, updatedAt: new Date() }).where(eq(databaseUsers.id, id)).returning();
    return row;
  },

  /** Records the oid of the role a row from before oids were recorded stands for. */
  async pinRoleOid(db: Executor, id: string, roleOid: number): Promise<DatabaseUserRow | undefined> {
    const [row] = await db
      .update(databaseUsers)
      .set({ roleOid, updatedAt: new Date() })
      .where(and(eq(databaseUsers.id, id), isNull(databaseUsers.roleOid)))
      .returning();
    return row;
  },

  async delete(db: Executor, id: string): Promise<void> {
    await db.delete(databaseUsers).where(eq(databaseUsers.id, id));
  },
};
