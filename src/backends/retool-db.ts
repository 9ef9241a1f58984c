// Read-only access to Retool's own Postgres (docs/backends.md, "Retool"): bulk
// import of existing users and legacy id -> sid lookups without the REST rate
// limit. Works over anything with `query(text, params)`, so a pg.Pool in
// production and PGlite in tests run the same SQL.
import pg from 'pg';
import { z } from 'zod';

/**
 * The least privilege the reader needs. Unlike the grant some connectors
 * publish, it includes "sid": without it a legacy id cannot be mapped. The
 * group columns tell Retool admins (members of the "admin" group), whom the
 * gateway never adopts.
 */
export const RETOOL_DB_READER_GRANTS = [
  'GRANT SELECT ("id","sid","email","firstName","lastName","userName","enabled","lastLoggedIn","organizationId") ON users TO <reader>',
  'GRANT SELECT ("id","name") ON groups TO <reader>',
  'GRANT SELECT ("userId","groupId") ON user_groups TO <reader>',
] as const;

/** The grant statements for `role`, one statement each. */
export function retoolDbReaderGrants(role: string): string[] {
  return RETOOL_DB_READER_GRANTS.map((grant) => grant.replaceAll('<reader>', `"${role.replaceAll('"', '""')}"`));
}

export interface Queryable {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface RetoolDbUser {
  /** `users.id`, the REST API's `legacy_id`; a string because it is int8. */
  legacyId: string;
  sid: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  userName: string | null;
  /** The REST API's `active`. */
  enabled: boolean;
  lastLoggedIn: Date | null;
  organizationId: string | null;
  /** A member of Retool's "admin" group. */
  isAdmin: boolean;
}

export interface ListRetoolDbUsersOptions {
  organizationId?: string | number | bigint | undefined;
  pageSize?: number | undefined;
}

export interface RetoolDbReader {
  listUsers(options?: ListRetoolDbUsersOptions): AsyncIterable<RetoolDbUser>;
  /** Null when no user has that id. */
  sidForLegacyId(legacyId: string | number | bigint): Promise<string | null>;
}

const int8 = z.union([z.string().regex(/^-?\d+$/), z.number().int(), z.bigint()]).transform(String);
const optionalText = z.string().nullish().transform((v) => v ?? null);

const userRow = z
  .object({
    id: int8,
    sid: z.string().min(1),
    email: z.string(),
    firstName: optionalText,
    lastName: optionalText,
    userName: optionalText,
    enabled: z.boolean(),
    lastLoggedIn: z.coerce.date().nullish().transform((v) => v ?? null),
    organizationId: int8.nullish().transform((v) => v ?? null),
    isAdmin: z.boolean(),
  })
  .transform(({ id, ...rest }): RetoolDbUser => ({ legacyId: id, ...rest }));

const sidRow = z.object({ sid: z.string().min(1) });

// Only granted columns, camelCase quoted as Retool created them.
const COLUMNS =
  '"id", "sid", "email", "firstName", "lastName", "userName", "enabled", "lastLoggedIn", "organizationId", ' +
  `EXISTS (SELECT 1 FROM user_groups ug JOIN groups g ON g."id" = ug."groupId" WHERE ug."userId" = users."id" AND g."name" = 'admin') AS "isAdmin"`;
const DEFAULT_PAGE_SIZE = 500;

export class RetoolDbError extends Error {
  constructor(message: string) {
    super(`retool database: ${message}`);
    this.name = 'RetoolDbError';
  }
}

function parseRow<T>(schema: z.ZodType<T>, row: unknown): T {
  const result = schema.safeParse(row);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new RetoolDbError(`unexpected row (${issue?.path.map(String).join('.') || 'row'}: ${issue?.code ?? 'invalid'})`);
}

function int8Param(value: string | number | bigint): string {
  const text = String(value);
  if (!/^-?\d+$/.test(text)) throw new RetoolDbError('an id must be an integer');
  return text;
}

export function createRetoolDbReader(db: Queryable): RetoolDbReader {
  return {
    async *listUsers(options = {}) {
      const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
      if (!Number.isInteger(pageSize) || pageSize < 1) throw new RetoolDbError('pageSize must be a positive integer');
      const org = options.organizationId === undefined ? undefined : int8Param(options.organizationId);
      for (let offset = 0; ; offset += pageSize) {
        const { rows } =
          org === undefined
            ? await db.query(`SELECT ${COLUMNS} FROM users ORDER BY "id" LIMIT $1 OFFSET $2`, [pageSize, offset])
            : await db.query(`SELECT ${COLUMNS} FROM users WHERE "organizationId" = $1 ORDER BY "id" LIMIT $2 OFFSET $3`, [org, pageSize, offset]);
        for (const row of rows) yield parseRow(userRow, row);
        if (rows.length < pageSize) return;
      }
    },

    async sidForLegacyId(legacyId) {
      const { rows } = await db.query('SELECT "sid" FROM users WHERE "id" = $1', [int8Param(legacyId)]);
      return rows.length === 0 ? null : parseRow(sidRow, rows[0]).sid;
    },
  };
}

export interface RetoolDb extends RetoolDbReader {
  close(): Promise<void>;
}

/** A small pool whose sessions are read-only, so a mis-granted role still cannot write. */
export function openRetoolDb(databaseUrl: string): RetoolDb {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2, options: '-c default_transaction_read_only=on' });
  // An idle client's error must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  return { ...createRetoolDbReader(pool), close: () => pool.end() };
}
