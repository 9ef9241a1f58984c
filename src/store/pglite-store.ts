// The store on embedded PGlite (the default without DATABASE_URL). Its own
// module, imported by openStore only for a PGlite store: a gateway on
// Postgres never loads PGlite or its Drizzle driver (about 5 MB of RSS,
// docs/performance.md, change 29).
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { baseStore, CountingLogger, MIGRATIONS_FOLDER, type Store } from './base-store.ts';
import * as schema from './schema.ts';

/** A new PGlite instance over a data directory (or `memory://`). */
export const createPglite = (dataDir: string): Promise<PGlite> => PGlite.create(dataDir);

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
