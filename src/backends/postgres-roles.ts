// Cluster-side operations for database users and the grants services need
// (docs/database-users.md), against the target cluster: TARGET_DATABASE_URL, or
// the gateway's own store (a real Postgres or embedded PGlite).
//
// Role DDL cannot take bind parameters, so every name is spliced in as text.
// That is only safe because each one passes `quoteIdent` (validated, then
// double-quoted), every keyword comes from an allowlist constant and the one
// literal, the password verifier, is built here from base64 alone. Nothing the
// caller passes in reaches SQL any other way.
import type { PGlite } from '@electric-sql/pglite';
import pg, { type Pool, type PoolClient } from 'pg';
import { parseScramVerifier, scramSha256Verifier } from './scram.ts';

/** Parameterised SQL on the target; the store's `RawQuery` has this shape too. */
export type TargetQuery = <Row extends Record<string, unknown> = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<Row[]>;

export interface TargetCluster {
  /** PGlite is a single embedded backend: there are never other sessions to end. */
  readonly kind: 'postgres' | 'pglite';
  query: TargetQuery;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (query: TargetQuery) => Promise<T>): Promise<T>;
  databaseName(): Promise<string>;
}

export function targetFromPool(pool: Pool): TargetCluster {
  const query: TargetQuery = async <Row extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
    (await pool.query<Row>(text, params)).rows;
  const clientQuery =
    (client: PoolClient): TargetQuery =>
    async <Row extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
      (await client.query<Row>(text, params)).rows;
  return {
    kind: 'postgres',
    query,
    async transaction<T>(fn: (q: TargetQuery) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await fn(clientQuery(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        });
        throw error;
      } finally {
        // A connection that could not roll back may still be inside the
        // transaction: destroy it rather than hand it to the next caller.
        client.release(broken);
      }
    },
    databaseName: () => currentDatabase(query),
  };
}

/**
 * A separate target cluster (TARGET_DATABASE_URL) behind its own small pool;
 * `close` ends the pool. Here rather than in the domain so that only the
 * store and the backends know the `pg` driver.
 */
export function connectTarget(url: string): { target: TargetCluster; close(): Promise<void> } {
  const pool = new pg.Pool({ connectionString: url, max: 5 });
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => undefined);
  return { target: targetFromPool(pool), close: () => pool.end() };
}

export function targetFromPglite(pglite: Pick<PGlite, 'query' | 'transaction'>): TargetCluster {
  const query: TargetQuery = async <Row extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
    (await pglite.query<Row>(text, params)).rows;
  return {
    kind: 'pglite',
    query,
    transaction: <T>(fn: (q: TargetQuery) => Promise<T>): Promise<T> =>
      // PGlite serialises everything: statements outside `tx` would wait for
      // this transaction and deadlock, so `fn` must only ever see `tx`.
      pglite.transaction((tx) =>
        fn(async <Row extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
          (await tx.query<Row>(text, params)).rows,
        ),
      ),
    databaseName: () => currentDatabase(query),
  };
}

async function currentDatabase(query: TargetQuery): Promise<string> {
  const [row] = await query<{ name: string }>('SELECT current_database() AS name');
  if (!row) throw new Error('current_database() returned no row');
  return row.name;
}

// ---------------------------------------------------------------------------
// Identifiers and keywords

/** NAMEDATALEN - 1: Postgres silently truncates longer names, which would then act on a different object. */
export const MAX_IDENTIFIER_BYTES = 63;

/** Why `name` cannot be used as a Postgres identifier, or undefined when it can. */
export function identifierProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'must not contain NUL or other control characters';
  if (/\p{Cs}/u.test(name)) return 'must be valid Unicode text';
  if (Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES) return `must be at most ${MAX_IDENTIFIER_BYTES} bytes`;
  return undefined;
}

export class InvalidIdentifierError extends RangeError {
  constructor(kind: string, name: string, problem: string) {
    super(`invalid ${kind} ${JSON.stringify(name)}: ${problem}`);
    this.name = 'InvalidIdentifierError';
  }
}

/** The one way a name enters SQL text: validated, then double-quoted with `"` doubled. */
export function quoteIdent(name: string, kind = 'identifier'): string {
  const problem = identifierProblem(name);
  if (problem) throw new InvalidIdentifierError(kind, name, problem);
  return `"${name.replaceAll('"', '""')}"`;
}

export const ROLE_ATTRIBUTES = [
  'SUPERUSER',
  'NOSUPERUSER',
  'CREATEDB',
  'NOCREATEDB',
  'CREATEROLE',
  'NOCREATEROLE',
  'INHERIT',
  'NOINHERIT',
  'LOGIN',
  'NOLOGIN',
  'REPLICATION',
  'NOREPLICATION',
  'BYPASSRLS',
  'NOBYPASSRLS',
] as const;
export type RoleAttribute = (typeof ROLE_ATTRIBUTES)[number];

/**
 * The allowlisted keyword `text` names, ignoring ASCII case, or undefined.
 * Only ASCII letters are folded: `toUpperCase` would turn "logın" (dotless ı)
 * into "LOGIN".
 */
export function toRoleAttribute(text: string): RoleAttribute | undefined {
  const upper = text.replace(/[a-z]/g, (c) => c.toUpperCase());
  return ROLE_ATTRIBUTES.find((attribute) => attribute === upper);
}

// ---------------------------------------------------------------------------
// Operations

/** What pg_roles says about one role (readable by any role, unlike pg_authid). */
export interface RoleFacts {
  name: string;
  oid: number;
  canLogin: boolean;
  inherit: boolean;
  superuser: boolean;
  replication: boolean;
  bypassRls: boolean;
  createRole: boolean;
  createDb: boolean;
}

/** A role reached from a starting role through pg_auth_members; depth 0 is the role itself. */
export interface ReachedRole extends RoleFacts {
  depth: number;
}

export interface PostgresRoles {
  roleExists(name: string): Promise<boolean>;
  /** The role's attributes and oid, or undefined when there is no such role. */
  roleFacts(name: string): Promise<RoleFacts | undefined>;
  /**
   * For each named role that exists: itself and every role it is a member
   * of, directly or through other roles (the whole closure, whatever the
   * INHERIT/SET options: a member can always SET ROLE or inherit its way up).
   */
  membershipClosure(names: readonly string[]): Promise<Map<string, ReachedRole[]>>;
  /** The role the gateway is connected as, and the owner of the current database. */
  identity(): Promise<{ currentUser: string; databaseOwner: string }>;
  /** `ALTER ROLE ... INHERIT | NOINHERIT` unless already so; `changed` says whether it was. */
  setInherit(name: string, inherit: boolean): Promise<{ changed: boolean }>;
  /** Created NOLOGIN (the CREATE ROLE default): login is granted once a password is set. */
  createRoleIfAbsent(name: string): Promise<{ created: boolean }>;
  /** Sends only a SCRAM-SHA-256 verifier computed here; the cleartext never leaves the process. */
  setPassword(name: string, password: string): Promise<void>;
  /** One `ALTER ROLE ... WITH <KEYWORD>` per attribute, in order; rejects the lot before any SQL if one is not allowlisted. */
  applyAttributes(name: string, attributes: readonly string[]): Promise<void>;
  /** `GRANT "<role>" TO "<name>"` for each; `granted` lists the memberships that did not exist before. */
  grantRoles(name: string, roles: readonly string[]): Promise<{ granted: string[] }>;
  setLogin(name: string, canLogin: boolean): Promise<void>;
  /** Ends the role's sessions other than our own; returns how many. Always 0 on PGlite. */
  terminateSessions(name: string): Promise<number>;
  /** Fails if objects or privileges still depend on the role; `dropped: false` when it did not exist. */
  dropRole(name: string): Promise<{ dropped: boolean }>;
  /** In the target's current database. */
  schemaExists(schema: string): Promise<boolean>;
  /** `granted: false` when the role already held CONNECT explicitly or owns the database: that grant is not ours to revoke later. */
  grantConnect(database: string, role: string): Promise<{ granted: boolean }>;
  revokeConnect(database: string, role: string): Promise<void>;
  /** `granted: false` when `member` was already a direct member of `role`. */
  grantRole(role: string, member: string): Promise<{ granted: boolean }>;
  /** `revoked: true` when the membership existed and is now gone. */
  revokeRole(role: string, member: string): Promise<{ revoked: boolean }>;
  /** Roles `name` is a direct member of, sorted. */
  roleMemberships(name: string): Promise<string[]>;
  databaseName(): Promise<string>;
  /** Runs `fn` with operations bound to one transaction on the target (nested calls join it). */
  transaction<T>(fn: (roles: PostgresRoles) => Promise<T>): Promise<T>;
}

const TERMINATE_WAIT_MS = 5_000;
const DUPLICATE_OBJECT = '42710';
const UNIQUE_VIOLATION = '23505';

export function createPostgresRoles(target: TargetCluster): PostgresRoles {
  return bind(target, false);
}

/** Long because it is a factory: every role operation shares the target's query in its closure; each operation is short. */
function bind(target: TargetCluster, inTransaction: boolean): PostgresRoles {
  const { query } = target;
  const role = (name: string) => quoteIdent(name, 'role name');

  async function roleExists(name: string): Promise<boolean> {
    role(name);
    return (await query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name])).length > 0;
  }

  async function isMember(parent: string, member: string): Promise<boolean> {
    const rows = await query(
      `SELECT 1 FROM pg_auth_members m
         JOIN pg_roles r ON r.oid = m.roleid
         JOIN pg_roles u ON u.oid = m.member
        WHERE r.rolname = $1 AND u.rolname = $2`,
      [parent, member],
    );
    return rows.length > 0;
  }

  async function grantRole(parent: string, member: string): Promise<{ granted: boolean }> {
    const sql = `GRANT ${role(parent)} TO ${role(member)}`;
    if (await isMember(parent, member)) return { granted: false };
    await query(sql);
    return { granted: true };
  }

  async function roleFacts(name: string): Promise<RoleFacts | undefined> {
    role(name);
    const [row] = await query<FactsRow>(`SELECT ${FACTS_COLUMNS} FROM pg_roles r WHERE r.rolname = $1`, [name]);
    return row && toFacts(row);
  }

  const roles: PostgresRoles = {
    roleExists,
    roleFacts,

    async membershipClosure(names) {
      for (const name of names) role(name);
      const closure = new Map<string, ReachedRole[]>();
      if (names.length === 0) return closure;
      // pg_auth_members cannot hold a cycle (Postgres refuses circular
      // membership), so the recursion ends; UNION drops repeated paths.
      const rows = await query<FactsRow & { root: string; depth: number }>(
        `WITH RECURSIVE reach(root, oid, depth) AS (
           SELECT r.rolname::text, r.oid, 0 FROM pg_roles r WHERE r.rolname = ANY($1::text[])
           UNION
           SELECT reach.root, m.roleid, reach.depth + 1 FROM reach JOIN pg_auth_members m ON m.member = reach.oid
         )
         SELECT reach.root, min(reach.depth)::int AS depth, ${FACTS_COLUMNS}
           FROM reach JOIN pg_roles r ON r.oid = reach.oid
          GROUP BY reach.root, r.oid, r.rolname, r.rolcanlogin, r.rolinherit, r.rolsuper, r.rolreplication, r.rolbypassrls, r.rolcreaterole, r.rolcreatedb
          ORDER BY reach.root, depth, r.rolname`,
        [[...names]],
      );
      for (const row of rows) {
        const reached = closure.get(row.root) ?? [];
        reached.push({ ...toFacts(row), depth: row.depth });
        closure.set(row.root, reached);
      }
      return closure;
    },

    async identity() {
      const [row] = await query<{ current_user: string; owner: string }>(
        `SELECT current_user::text AS current_user, pg_get_userbyid(d.datdba)::text AS owner
           FROM pg_database d WHERE d.datname = current_database()`,
      );
      if (!row) throw new Error('current_database() has no pg_database row');
      return { currentUser: row.current_user, databaseOwner: row.owner };
    },

    async setInherit(name, inherit) {
      const sql = `ALTER ROLE ${role(name)} WITH ${inherit ? 'INHERIT' : 'NOINHERIT'}`;
      const facts = await roleFacts(name);
      if (facts && facts.inherit === inherit) return { changed: false };
      await query(sql);
      return { changed: true };
    },

    async createRoleIfAbsent(name) {
      const sql = `CREATE ROLE ${role(name)} WITH NOLOGIN`;
      if (await roleExists(name)) return { created: false };
      try {
        await query(sql);
        return { created: true };
      } catch (error) {
        // Someone else created it between the check and ours. Inside a
        // transaction the error has already aborted it, so it must surface.
        const code = sqlState(error);
        if (!inTransaction && (code === DUPLICATE_OBJECT || code === UNIQUE_VIOLATION)) return { created: false };
        throw error;
      }
    },

    async setPassword(name, password) {
      const quoted = role(name);
      const verifier = scramSha256Verifier(password);
      // The verifier becomes a string literal: prove it holds nothing but the
      // SCRAM framing and base64 before it goes anywhere near SQL.
      if (!parseScramVerifier(verifier) || !/^[A-Za-z0-9+/=$:-]+$/.test(verifier)) {
        throw new Error('refusing to send a malformed SCRAM verifier');
      }
      await query(`ALTER ROLE ${quoted} WITH PASSWORD '${verifier}'`);
    },

    async applyAttributes(name, attributes) {
      const quoted = role(name);
      const keywords = attributes.map((text) => {
        const keyword = toRoleAttribute(text);
        if (!keyword) throw new RangeError(`unsupported role attribute ${JSON.stringify(text)}`);
        return keyword;
      });
      for (const keyword of new Set(keywords)) await query(`ALTER ROLE ${quoted} WITH ${keyword}`);
    },

    async grantRoles(name, parents) {
      role(name);
      for (const parent of parents) role(parent);
      const granted: string[] = [];
      for (const parent of parents) {
        if ((await grantRole(parent, name)).granted) granted.push(parent);
      }
      return { granted };
    },

    async setLogin(name, canLogin) {
      await query(`ALTER ROLE ${role(name)} WITH ${canLogin ? 'LOGIN' : 'NOLOGIN'}`);
    },

    async terminateSessions(name) {
      role(name);
      if (target.kind === 'pglite') return 0;
      // MATERIALIZED pins the filter before the side effect: the planner may
      // otherwise evaluate pg_terminate_backend ahead of the usename test.
      const [row] = await query<{ terminated: number }>(
        `WITH sessions AS MATERIALIZED (
           SELECT pid FROM pg_stat_activity WHERE usename = $1 AND pid <> pg_backend_pid()
         )
         SELECT count(*)::int AS terminated FROM sessions WHERE pg_terminate_backend(pid, $2::bigint)`,
        [name, TERMINATE_WAIT_MS],
      );
      return row?.terminated ?? 0;
    },

    async dropRole(name) {
      const sql = `DROP ROLE ${role(name)}`;
      if (!(await roleExists(name))) return { dropped: false };
      await query(sql);
      return { dropped: true };
    },

    async schemaExists(schema) {
      quoteIdent(schema, 'schema name');
      return (await query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).length > 0;
    },

    async grantConnect(database, grantee) {
      const sql = `GRANT CONNECT ON DATABASE ${quoteIdent(database, 'database name')} TO ${role(grantee)}`;
      const [state] = await query<{ owner: boolean; explicit: boolean }>(
        `SELECT d.datdba = r.oid AS owner,
                EXISTS (SELECT 1 FROM aclexplode(d.datacl) a
                         WHERE a.grantee = r.oid AND a.privilege_type = 'CONNECT') AS explicit
           FROM pg_database d, pg_roles r
          WHERE d.datname = $1 AND r.rolname = $2`,
        [database, grantee],
      );
      if (state && (state.owner || state.explicit)) return { granted: false };
      await query(sql);
      return { granted: true };
    },

    async revokeConnect(database, grantee) {
      await query(`REVOKE CONNECT ON DATABASE ${quoteIdent(database, 'database name')} FROM ${role(grantee)}`);
    },

    grantRole,

    async revokeRole(parent, member) {
      const sql = `REVOKE ${role(parent)} FROM ${role(member)}`;
      if (!(await isMember(parent, member))) return { revoked: false };
      await query(sql);
      // Since PG 16 a REVOKE only removes grants made by the current role, so
      // the membership can outlive it; report what the catalog says.
      return { revoked: !(await isMember(parent, member)) };
    },

    async roleMemberships(name) {
      role(name);
      const rows = await query<{ rolname: string }>(
        `SELECT DISTINCT r.rolname FROM pg_auth_members m
           JOIN pg_roles r ON r.oid = m.roleid
           JOIN pg_roles u ON u.oid = m.member
          WHERE u.rolname = $1
          ORDER BY r.rolname`,
        [name],
      );
      return rows.map((row) => row.rolname);
    },

    databaseName: () => target.databaseName(),

    transaction<T>(fn: (r: PostgresRoles) => Promise<T>): Promise<T> {
      if (inTransaction) return fn(roles);
      return target.transaction((q) =>
        fn(
          bind(
            {
              kind: target.kind,
              query: q,
              transaction: (inner) => inner(q),
              databaseName: () => currentDatabase(q),
            },
            true,
          ),
        ),
      );
    },
  };
  return roles;
}

interface FactsRow extends Record<string, unknown> {
  rolname: string;
  oid: string | number;
  rolcanlogin: boolean;
  rolinherit: boolean;
  rolsuper: boolean;
  rolreplication: boolean;
  rolbypassrls: boolean;
  rolcreaterole: boolean;
  rolcreatedb: boolean;
}

// oid as text: an unsigned 32-bit value, which drivers hand back as text or number alike this way.
const FACTS_COLUMNS = 'r.rolname::text AS rolname, r.oid::text AS oid, r.rolcanlogin, r.rolinherit, r.rolsuper, r.rolreplication, r.rolbypassrls, r.rolcreaterole, r.rolcreatedb';

function toFacts(row: FactsRow): RoleFacts {
  return {
    name: row.rolname,
    oid: Number(row.oid),
    canLogin: row.rolcanlogin,
    inherit: row.rolinherit,
    superuser: row.rolsuper,
    replication: row.rolreplication,
    bypassRls: row.rolbypassrls,
    createRole: row.rolcreaterole,
    createDb: row.rolcreatedb,
  };
}

function sqlState(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}
