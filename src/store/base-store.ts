// What both store drivers share: the store's types, the migrations folder,
// the statement counter and the Store object over a Drizzle database.
// client.ts opens a store on Postgres; pglite-store.ts on embedded PGlite,
// loaded only when the gateway runs on it.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { Logger } from 'drizzle-orm/logger';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm/relations';
import type * as schema from './schema.ts';

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

export class CountingLogger implements Logger {
  count = 0;
  readonly listeners = new Set<(query: string) => void>();
  logQuery(query: string): void {
    this.count += 1;
    for (const listener of this.listeners) listener(query);
  }
}

export function baseStore(kind: Store['kind'], db: Db, logger: CountingLogger, raw: RawQuery, doMigrate: () => Promise<void>, close: () => Promise<void>): Store {
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
