// The users SCIM sees: those with a SCIM userName (docs/scim.md). A SCIM
// filter arrives here already checked and mapped onto columns
// (`ScimCondition`), so this file only turns it into SQL.
import { and, asc, count, eq, isNotNull, isNull, not, or, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '../client.ts';
import { type UserRow, users } from '../schema.ts';
import { isUuid } from '../uuid.ts';

/** The attributes a filter may name, each one column (or the status, for `active`). */
export type ScimColumn = 'id' | 'userName' | 'externalId' | 'email' | 'displayName' | 'givenName' | 'familyName' | 'active' | 'created' | 'lastModified';

export type ScimCompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

export type ScimCondition =
  | { kind: 'and' | 'or'; items: ScimCondition[] }
  | { kind: 'not'; item: ScimCondition }
  | { kind: 'compare'; column: ScimColumn; op: ScimCompareOp; value: string | boolean | Date }
  | { kind: 'present'; column: ScimColumn }
  | { kind: 'constant'; value: boolean };

const TEXT_COLUMNS: Record<Exclude<ScimColumn, 'id' | 'active' | 'created' | 'lastModified'>, PgColumn> = {
  userName: users.scimUserName,
  externalId: users.externalId,
  email: users.email,
  displayName: users.displayName,
  givenName: users.firstName,
  familyName: users.lastName,
};

// RFC 7643 §4.1: userName, emails and names are caseExact false; externalId
// (§3.1) and id are caseExact true.
const CASE_EXACT = new Set<ScimColumn>(['externalId', 'id']);

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function compareText(column: PgColumn | SQL, caseExact: boolean, op: ScimCompareOp, value: string): SQL {
  const left = caseExact ? sql`${column}` : sql`lower(${column})`;
  const right = caseExact ? value : value.toLowerCase();
  switch (op) {
    case 'eq':
      return sql`${left} = ${right}`;
    case 'ne':
      return sql`(${column} is null or ${left} <> ${right})`;
    case 'co':
      return sql`${left} like ${`%${escapeLike(right)}%`}`;
    case 'sw':
      return sql`${left} like ${`${escapeLike(right)}%`}`;
    case 'ew':
      return sql`${left} like ${`%${escapeLike(right)}`}`;
    case 'gt':
      return sql`${left} > ${right}`;
    case 'ge':
      return sql`${left} >= ${right}`;
    case 'lt':
      return sql`${left} < ${right}`;
    case 'le':
      return sql`${left} <= ${right}`;
  }
}

function compareDate(column: PgColumn, op: ScimCompareOp, value: Date): SQL {
  const at = value.toISOString();
  switch (op) {
    case 'eq':
      return sql`${column} = ${at}::timestamptz`;
    case 'ne':
      return sql`${column} <> ${at}::timestamptz`;
    case 'gt':
      return sql`${column} > ${at}::timestamptz`;
    case 'ge':
      return sql`${column} >= ${at}::timestamptz`;
    case 'lt':
      return sql`${column} < ${at}::timestamptz`;
    case 'le':
      return sql`${column} <= ${at}::timestamptz`;
    default:
      return sql`false`;
  }
}

function toSql(condition: ScimCondition): SQL {
  switch (condition.kind) {
    case 'constant':
      return condition.value ? sql`true` : sql`false`;
    case 'and':
    case 'or': {
      const parts = condition.items.map(toSql);
      return (condition.kind === 'and' ? and(...parts) : or(...parts)) ?? sql`true`;
    }
    case 'not':
      return not(toSql(condition.item));
    case 'present':
      if (condition.column === 'id' || condition.column === 'active' || condition.column === 'created' || condition.column === 'lastModified') return sql`true`;
      return sql`(${TEXT_COLUMNS[condition.column]} is not null and ${TEXT_COLUMNS[condition.column]} <> '')`;
    case 'compare': {
      const { column, op, value } = condition;
      if (column === 'active') {
        const status = value === true ? 'ACTIVE' : 'DISABLED';
        return op === 'ne' ? sql`${users.status} <> ${status}` : eq(users.status, status);
      }
      if (column === 'created' || column === 'lastModified') {
        return value instanceof Date ? compareDate(column === 'created' ? users.createdAt : users.updatedAt, op, value) : sql`false`;
      }
      if (typeof value !== 'string') return sql`false`;
      if (column === 'id') {
        // Ids are UUIDs; a value that is none matches nothing (and never reaches a uuid cast).
        if (op === 'eq') return isUuid(value) ? sql`${users.id} = ${value}::uuid` : sql`false`;
        return compareText(sql`${users.id}::text`, true, op, value);
      }
      return compareText(TEXT_COLUMNS[column], CASE_EXACT.has(column), op, value);
    }
  }
}

const scimVisible = [isNotNull(users.scimUserName), isNull(users.deletedAt)];

export const scimUsersRepository = {
  /** One page in id (creation) order, from the 0-based `offset`: SCIM pages by index. */
  async page(db: Executor, condition: ScimCondition, offset: number, limit: number): Promise<UserRow[]> {
    if (limit <= 0) return [];
    return db
      .select()
      .from(users)
      .where(and(...scimVisible, toSql(condition)))
      .orderBy(asc(users.id))
      .offset(offset)
      .limit(limit);
  },

  async count(db: Executor, condition: ScimCondition): Promise<number> {
    const [row] = await db
      .select({ n: count() })
      .from(users)
      .where(and(...scimVisible, toSql(condition)));
    return row?.n ?? 0;
  },

  /** A SCIM user by id; deleted ones and users SCIM did not make are not there. */
  async byId(db: Executor, id: string): Promise<UserRow | undefined> {
    if (!isUuid(id)) return undefined;
    const [row] = await db
      .select()
      .from(users)
      .where(and(eq(users.id, id), ...scimVisible));
    return row;
  },

  /** The user holding a SCIM userName, ignoring case; deleted users too (they keep it). */
  async byUserName(db: Executor, userName: string): Promise<UserRow | undefined> {
    const [row] = await db.select().from(users).where(sql`lower(${users.scimUserName}) = lower(${userName})`);
    return row;
  },

  /** Sets the SCIM attributes; undefined when the user is gone or deleted. */
  async setScimAttributes(db: Executor, id: string, values: { scimUserName: string; externalId: string | null }): Promise<UserRow | undefined> {
    const [row] = await db
      .update(users)
      .set({ ...values, updatedAt: new Date() })
      .where(and(eq(users.id, id), isNull(users.deletedAt)))
      .returning();
    return row;
  },
};
