// One store API over two drivers: `pg` for a real Postgres, embedded PGlite
// otherwise. Everything above this file sees only `Store`.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { Logger } from 'drizzle-orm/logger';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { ExtractTablesWithRelations } from 'drizzle-orm/relations';
import pg from 'pg';
import type { StoreTimeouts } from '../config.ts';
import { lockDataDir } from './pglite-lock.ts';
import * as schema from './schema.ts';

export type StoreSchema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, StoreSchema>;
export type Tx = PgTransaction<PgQueryResultHKT, StoreSchema, ExtractTablesWithRelations<StoreSchema>>;
/** Anything a repository can run statements on: the store or an open transaction. */
export type Executor = Db | Tx;

/**
 * The migrations, `drizzle/` at the root of the checkout or image, found
 * upwards from this module's file: the sources run it from src/store/, the
 * build from a bundle or chunk in dist/ (scripts/build.ts), the bench from
 * bench/.build/.
 */
export const MIGRATIONS_FOLDER = findMigrations(fileURLToPath(import.meta.url));

function findMigrations(from: string): string {
  for (let dir = dirname(from); dirname(dir) !== dir; dir = dirname(dir)) {
    const candidate = join(dir, 'drizzle');
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
  }
  // None found: the migrator's own error names this path.
  return join(dirname(from), '..', '..', 'drizzle');
}

/** Raw, parameterised SQL on the store's own connection (used when the store is also the target cluster). */
export type RawQuery = <Row extends Record<string, unknown>>(text: string, params?: unknown[]) => Promise<Row[]>;

export interface Store {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Db;
  readonly raw: RawQuery;
  /** Statements issued through Drizzle since the store opened (BEGIN/COMMIT not counted). */
  queryCount(): number;
  /** Called with each statement's text; for tests and benchmarks that count or inspect SQL. */
  onQuery(listener: (query: string) => void): () => void;
  migrate(): Promise<void>;
  isMigrated(): boolean;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** The connection pool's state, for the metrics (Postgres only; PGlite has no pool). */
  poolStats?(): { total: number; idle: number; waiting: number };
}

class CountingLogger implements Logger {
  count = 0;
  readonly listeners = new Set<(query: string) => void>();
  logQuery(query: string): void {
    this.count += 1;
    for (const listener of this.listeners) listener(query);
  }
}

function baseStore(kind: Store['kind'], db: Db, logger: CountingLogger, raw: RawQuery, doMigrate: () => Promise<void>, close: () => Promise<void>): Store {
  let migrated = false;
  return {
    kind,
    db,
    raw,
    queryCount: () => logger.count,
    onQuery(listener) {
      logger.listeners.add(listener);
      return () => logger.listeners.delete(listener);
    },
    async migrate() {
      await doMigrate();
      migrated = true;
    },
    isMigrated: () => migrated,
    async ping() {
      await db.execute(sql`select 1`);
    },
    close,
  };
}

/** A store over an open PGlite instance (the caller owns its lifetime unless `ownsClient`). */
export function storeFromPglite(client: PGlite, ownsClient = true): Store {
  const logger = new CountingLogger();
  const db = drizzlePglite(client, { schema, logger });
  return baseStore(
    'pglite',
    db,
    logger,
    async <Row extends Record<string, unknown>>(text: string, params: unknown[] = []) => (await client.query<Row>(text, params)).rows,
    () => migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER }),
    async () => {
      if (ownsClient && !client.closed) await client.close();
    },
  );
}

// Several gateway instances may start at once against one Postgres; the
// advisory lock makes exactly one of them apply pending migrations.
const MIGRATION_LOCK_ID = 7_358_001;

export function storeFromPool(pool: pg.Pool, ownsPool = true): Store {
  const logger = new CountingLogger();
  const db = drizzlePg(pool, { schema, logger });
  const store = baseStore(
    'postgres',
    db,
    logger,
    async <Row extends Record<string, unknown>>(text: string, params: unknown[] = []) => (await pool.query<Row>(text, params)).rows,
    async () => {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
        await migratePg(drizzlePg(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
        client.release();
      }
    },
    async () => {
      if (ownsPool) await pool.end();
    },
  );
  return { ...store, poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }) };
}

export type StoreOptions = { kind: 'postgres'; url: string; timeouts?: StoreTimeouts | undefined } | { kind: 'pglite'; dataDir: string };

const DEFAULT_TIMEOUTS: StoreTimeouts = { connectMs: 5_000, statementMs: 15_000, idleMs: 30_000 };

/**
 * Pool settings that make a stalled or dropped store fail fast instead of
 * hanging requests: a connect timeout, a server-side statement timeout, a
 * client-side read timeout a little longer (a stalled network never delivers
 * the server's cancel), TCP keep-alive, and idle connections recycled.
 */
export function poolConfig(url: string, timeouts: StoreTimeouts = DEFAULT_TIMEOUTS): pg.PoolConfig {
  return {
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: timeouts.connectMs,
    idleTimeoutMillis: timeouts.idleMs,
    statement_timeout: timeouts.statementMs,
    query_timeout: timeouts.statementMs + 1_000,
    idle_in_transaction_session_timeout: timeouts.statementMs * 2,
    keepAlive: true,
  };
}

export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.kind === 'postgres') {
    const pool = new pg.Pool(poolConfig(options.url, options.timeouts));
    // An idle client that loses its connection must not crash the process.
    pool.on('error', () => undefined);
    return storeFromPool(pool);
  }
  if (options.dataDir.startsWith('memory://')) return storeFromPglite(await PGlite.create(options.dataDir));
  await mkdir(options.dataDir, { recursive: true });
  const release = await lockDataDir(options.dataDir);
  let store: Store;
  try {
    store = storeFromPglite(await PGlite.create(options.dataDir));
  } catch (error) {
    await release();
    throw error;
  }
  return {
    ...store,
    async close() {
      await store.close();
      await release();
    },
  };
}
