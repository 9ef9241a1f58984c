// A fresh, migrated store per test file, on whichever store the current
// vitest project runs: a clone of the worker's migrated PGlite, or a copy of
// the run's migrated Postgres template database.
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { type Store, storeFromPool } from '../../src/store/client.ts';
import { storeFromPglite } from '../../src/store/pglite-store.ts';
import { databaseUrl, withAdminClient } from './postgres.ts';

export interface TestStore {
  store: Store;
  kind: 'pglite' | 'postgres';
  /** Postgres only: the URL of this file's database (usable as TARGET_DATABASE_URL). */
  url: string | undefined;
  /** PGlite only: the instance behind the store. */
  pglite: PGlite | undefined;
  drop(): Promise<void>;
}

// Booted and migrated once per worker (PGlite takes seconds to start).
let migratedPglite: Promise<PGlite> | undefined;

function basePglite(): Promise<PGlite> {
  migratedPglite ??= (async () => {
    const instance = await PGlite.create('memory://');
    await storeFromPglite(instance, false).migrate();
    return instance;
  })();
  return migratedPglite;
}

export async function createTestStore(): Promise<TestStore> {
  if (inject('storeKind') === 'postgres') {
    const name = `ig_test_${randomBytes(6).toString('hex')}`;
    await withAdminClient((c) => c.query(`create database "${name}" template "${inject('templateDatabase')}"`));
    const url = databaseUrl(name);
    const pool = new pg.Pool({ connectionString: url, max: 5 });
    pool.on('error', () => undefined);
    const store = storeFromPool(pool);
    await store.migrate();
    return {
      store,
      kind: 'postgres',
      url,
      pglite: undefined,
      async drop() {
        await store.close();
        await withAdminClient((c) => c.query(`drop database if exists "${name}" with (force)`));
      },
    };
  }
  const clone = await (await basePglite()).clone();
  // clone() is typed as the interface but returns a full PGlite instance.
  if (!(clone instanceof PGlite)) throw new Error('PGlite clone() returned an unexpected object');
  const store = storeFromPglite(clone);
  await store.migrate();
  return { store, kind: 'pglite', url: undefined, pglite: clone, drop: () => store.close() };
}

/** Registers beforeAll/afterAll for one store per test file; call the result inside tests. */
export function useTestStore(): () => TestStore {
  let current: TestStore | undefined;
  beforeAll(async () => {
    current = await createTestStore();
  });
  afterAll(async () => {
    await current?.drop();
  });
  return () => {
    if (!current) throw new Error('test store not ready (use inside a test or hook)');
    return current;
  };
}
