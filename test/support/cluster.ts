// Reads the target cluster's own catalogs (pg_roles, pg_auth_members,
// has_database_privilege, pg_authid) so tests check what the gateway did to
// the cluster, not what it recorded. Roles are cluster-wide on Postgres:
// every test file names its roles with a random suffix and `useClusterProbe`
// drops each of them after the file.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { quoteIdent } from '../../src/backends/postgres-roles.ts';
import type { TestStore } from './store.ts';

type Query = <Row extends Record<string, unknown>>(text: string, params?: unknown[]) => Promise<Row[]>;

export interface ClusterProbe {
  query: Query;
  database: string;
  /** A role name unique to this run, dropped after the file. */
  name(label: string): string;
  /** Marks a name created outside `name()` for dropping after the file. */
  track(name: string): void;
  role(name: string): Promise<{ rolcanlogin: boolean; rolcreatedb: boolean; rolinherit: boolean } | undefined>;
  isMember(parent: string, member: string): Promise<boolean>;
  mayConnect(role: string): Promise<boolean>;
  /** pg_authid.rolpassword: the stored verifier. */
  verifier(role: string): Promise<string | undefined>;
  /** A connection string for this file's database as `user` (Postgres only). */
  urlAs(user: string, password: string): string;
}

export function useClusterProbe(testStore: () => TestStore): () => ClusterProbe {
  let probe: ClusterProbe | undefined;
  let pool: pg.Pool | undefined;
  const made = new Set<string>();

  beforeAll(async () => {
    const { url, pglite } = testStore();
    let query: Query;
    if (url) {
      const opened = new pg.Pool({ connectionString: url, max: 2 });
      opened.on('error', () => undefined);
      pool = opened;
      query = async <Row extends Record<string, unknown>>(text: string, params: unknown[] = []) => (await opened.query<Row>(text, params)).rows;
    } else if (pglite) {
      query = async <Row extends Record<string, unknown>>(text: string, params: unknown[] = []) => (await pglite.query<Row>(text, params)).rows;
    } else {
      throw new Error('test store has neither a url nor a PGlite instance');
    }
    const [row] = await query<{ name: string }>('SELECT current_database() AS name');
    const database = row?.name ?? '';
    // Every role may connect through PUBLIC by default, which would make
    // has_database_privilege true before any grant. The database is this
    // file's own, so taking that away here affects nothing else.
    await query(`REVOKE CONNECT ON DATABASE ${quoteIdent(database)} FROM PUBLIC`);
    probe = {
      query,
      database,
      name(label) {
        const name = `ig_${label}_${randomBytes(4).toString('hex')}`;
        made.add(name);
        return name;
      },
      track: (name) => made.add(name),
      async role(name) {
        const [found] = await query<{ rolcanlogin: boolean; rolcreatedb: boolean; rolinherit: boolean }>(
          'SELECT rolcanlogin, rolcreatedb, rolinherit FROM pg_roles WHERE rolname = $1',
          [name],
        );
        return found;
      },
      async isMember(parent, member) {
        const rows = await query(
          `SELECT 1 FROM pg_auth_members
            WHERE roleid = (SELECT oid FROM pg_roles WHERE rolname = $1)
              AND member = (SELECT oid FROM pg_roles WHERE rolname = $2)`,
          [parent, member],
        );
        return rows.length > 0;
      },
      async mayConnect(role) {
        const [found] = await query<{ ok: boolean }>("SELECT has_database_privilege($1, $2, 'CONNECT') AS ok", [role, database]);
        return found?.ok ?? false;
      },
      async verifier(role) {
        const [found] = await query<{ rolpassword: string | null }>('SELECT rolpassword FROM pg_authid WHERE rolname = $1', [role]);
        return found?.rolpassword ?? undefined;
      },
      urlAs(user, password) {
        const target = new URL(url ?? '');
        target.username = encodeURIComponent(user);
        target.password = encodeURIComponent(password);
        return target.toString();
      },
    };
  });

  afterAll(async () => {
    if (probe) {
      for (const name of made) {
        if (!(await probe.role(name))) continue;
        // Privileges on this database would block DROP ROLE.
        await probe.query(`DROP OWNED BY ${quoteIdent(name)}`);
        await probe.query(`DROP ROLE ${quoteIdent(name)}`);
      }
    }
    await pool?.end();
  });

  return () => {
    if (!probe) throw new Error('cluster probe not ready (use inside a test or hook)');
    return probe;
  };
}

/** A client logged in as someone else; a terminated session also reports an 'error' event. */
export async function connectAs(connectionString: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}
