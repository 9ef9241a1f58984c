// One store API over two drivers: `pg` for a real Postgres, embedded PGlite
// otherwise (pglite-store.ts, imported only then). Everything above this
// file sees only `Store`.
import { mkdir } from 'node:fs/promises';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { StoreTimeouts } from '../config.ts';
import { lockDataDir } from './pglite-lock.ts';
import { baseStore, CountingLogger, MIGRATIONS_FOLDER, type Store } from './base-store.ts';
import * as schema from './schema.ts';

export type { Db, Executor, RawQuery, Store, StoreSchema, Tx } from './base-store.ts';
export { MIGRATIONS_FOLDER } from './base-store.ts';

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
  const { createPglite, storeFromPglite } = await import('./pglite-store.ts');
  if (options.dataDir.startsWith('memory://')) return storeFromPglite(await createPglite(options.dataDir));
  await mkdir(options.dataDir, { recursive: true });
  const release = await lockDataDir(options.dataDir);
  let store: Store;
  try {
    store = storeFromPglite(await createPglite(options.dataDir));
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
