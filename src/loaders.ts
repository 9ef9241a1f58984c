// Per-request DataLoaders over repositories: every list field that would
// otherwise query once per parent row is batched into one query per level.
import DataLoader from 'dataloader';
import type { Executor } from './store/client.ts';
import { oncePerKey } from './store/once-per-key.ts';
import { type BackendAccountView, type BackendAccountViewColumn, backendAccountsRepository } from './store/repositories/backend-accounts.ts';
import { usersRepository } from './store/repositories/users.ts';
import type { UserRow } from './store/schema.ts';
import { oauth2ConnectionsRepository } from './store/repositories/oauth2-connections.ts';
import { oauth2ProvidersRepository } from './store/repositories/oauth2-providers.ts';
import { poolViewersRepository } from './store/repositories/pool-viewers.ts';
import { type ResourcePoolColumn, resourcePoolsRepository } from './store/repositories/resource-pools.ts';
import type { PageWindow } from './store/repositories/pagination.ts';
import { type DatabaseUserColumn, databaseUsersRepository } from './store/repositories/database-users.ts';
import { serviceGrantsRepository } from './store/repositories/service-grants.ts';
import { type ServiceColumn, servicesRepository } from './store/repositories/services.ts';
import type { DatabaseUserRow, ServiceGrantRow, ServiceRow } from './store/schema.ts';
import type { OAuth2ConnectionRow, OAuth2ProviderRow, ResourcePoolProviderRow, ResourcePoolRow, ResourcePoolViewerRow } from './store/schema.ts';

// The maps below are filled in loops: a batch holds a page's keys and rows,
// and an entry tuple per key or row is garbage the page pays for.

/** Batch loader over a repository query that returns rows for many keys at once. */
function byKey<Row>(load: (keys: readonly string[]) => Promise<Row[]>, keyOf: (row: Row) => string) {
  return new DataLoader<string, Row | null>(async (keys) => {
    const rows = new Map<string, Row>();
    for (const row of await load(keys)) rows.set(keyOf(row), row);
    return keys.map((key) => rows.get(key) ?? null);
  });
}

function groupedByKey<Row>(load: (keys: readonly string[]) => Promise<Row[]>, keyOf: (row: Row) => string) {
  return new DataLoader<string, Row[]>(async (keys) => {
    const groups = new Map<string, Row[]>();
    for (const key of keys) groups.set(key, []);
    for (const row of await load(keys)) groups.get(keyOf(row))?.push(row);
    return keys.map((key) => groups.get(key) ?? []);
  });
}

/**
 * A loader per set of columns, for loads that read only what a query
 * selects: the fields of a page ask with the same set, so they still share
 * one batch.
 */
function perColumnSet<Column extends string, Loader>(make: (columns: readonly Column[]) => Loader): (columns: readonly Column[]) => Loader {
  const loaders = oncePerKey<Loader>();
  // Every row of a page asks with the same array (columnsSelected keeps one per field).
  let last: { columns: readonly Column[]; loader: Loader } | undefined;
  return (columns) => {
    if (last?.columns !== columns) last = { columns, loader: loaders(columns.join(','), () => make(columns)) };
    return last.loader;
  };
}

export function createLoaders(db: Executor) {
  return {
    user: byKey<UserRow>((ids) => usersRepository.byIds(db, ids), (row) => row.id),
    accountsByUser: perColumnSet((columns: readonly BackendAccountViewColumn[]) =>
      groupedByKey<BackendAccountView>((ids) => backendAccountsRepository.viewsByUserIds(db, ids, columns), (row) => row.userId),
    ),
    ...poolLoaders(db),
    ...serviceLoaders(db),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** One distinct viewer of a pool with every grant that makes them one. */
export interface PoolViewer {
  /** The user's id: viewers are paged by it. */
  id: string;
  poolId: string;
  grants: ResourcePoolViewerRow[];
}

/**
 * `ResourcePool.viewers` pages for every pool of a list in one statement per
 * distinct page window (in practice one), plus one for the grants behind them.
 */
function viewerPages(db: Executor) {
  return new DataLoader<{ poolId: string; window: PageWindow }, PoolViewer[], string>(
    async (keys) => {
      const byWindow = new Map<string, { window: PageWindow; poolIds: string[] }>();
      for (const { poolId, window } of keys) {
        const id = JSON.stringify(window);
        const group = byWindow.get(id) ?? { window, poolIds: [] };
        group.poolIds.push(poolId);
        byWindow.set(id, group);
      }
      const pages = new Map<string, PoolViewer[]>();
      for (const [id, { window, poolIds }] of byWindow) {
        const pairs = await poolViewersRepository.pageByPools(db, poolIds, window);
        const grants = await poolViewersRepository.grantsOf(db, poolIds, [...new Set(pairs.map((pair) => pair.userId))]);
        for (const poolId of poolIds) pages.set(`${poolId}|${id}`, []);
        for (const { poolId, userId } of pairs) {
          pages.get(`${poolId}|${id}`)?.push({ id: userId, poolId, grants: grants.filter((g) => g.poolId === poolId && g.userId === userId) });
        }
      }
      return keys.map(({ poolId, window }) => pages.get(`${poolId}|${JSON.stringify(window)}`) ?? []);
    },
    { cacheKeyFn: ({ poolId, window }) => `${poolId}|${JSON.stringify(window)}` },
  );
}

function poolLoaders(db: Executor) {
  return {
    oauth2Provider: byKey<OAuth2ProviderRow>((ids) => oauth2ProvidersRepository.byIds(db, ids), (row) => row.id),
    oauth2Connection: byKey<OAuth2ConnectionRow>((ids) => oauth2ConnectionsRepository.byIds(db, ids), (row) => row.id),
    oauth2ConnectionsByUser: groupedByKey<OAuth2ConnectionRow>((ids) => oauth2ConnectionsRepository.byUserIds(db, ids), (row) => row.userId),
    resourcePool: byKey<ResourcePoolRow>((ids) => resourcePoolsRepository.byIds(db, ids), (row) => row.id),
    resourcePoolLinks: groupedByKey<ResourcePoolProviderRow>((ids) => resourcePoolsRepository.links(db, ids), (row) => row.poolId),
    // One row per pool with the page's viewers among its own, fanned out
    // here: every user of the page shares the same pool objects.
    resourcePoolsByViewer: perColumnSet(
      (columns: readonly ResourcePoolColumn[]) =>
        new DataLoader<string, ResourcePoolRow[]>(async (userIds) => {
          const byViewer = userIds.map((): ResourcePoolRow[] => []);
          for (const { pool, viewerPositions } of await resourcePoolsRepository.viewedBy(db, userIds, columns)) {
            for (const position of viewerPositions) byViewer[position]?.push(pool);
          }
          return byViewer;
        }),
    ),
    poolViewerCount: new DataLoader<string, number>(async (ids) => {
      const counts = new Map((await poolViewersRepository.countByPools(db, ids)).map((row) => [row.poolId, row.n]));
      return ids.map((id) => counts.get(id) ?? 0);
    }),
    poolViewerPage: viewerPages(db),
  };
}

function serviceLoaders(db: Executor) {
  return {
    databaseUser: byKey<DatabaseUserRow>((ids) => databaseUsersRepository.byIds(db, ids), (row) => row.id),
    // The database users a page of services connects as, reading what the page selects of them.
    databaseUserColumns: perColumnSet((columns: readonly DatabaseUserColumn[]) =>
      byKey<DatabaseUserRow>((ids) => databaseUsersRepository.byIds(db, ids, columns), (row) => row.id),
    ),
    service: byKey<ServiceRow>((ids) => servicesRepository.byIds(db, ids), (row) => row.id),
    servicesByDatabaseUser: perColumnSet((columns: readonly ServiceColumn[]) =>
      groupedByKey<ServiceRow>((ids) => servicesRepository.byConnectAs(db, ids, columns), (row) => row.connectAsId),
    ),
    grantsByService: groupedByKey<ServiceGrantRow>((ids) => serviceGrantsRepository.byServices(db, ids), (row) => row.serviceId),
  };
}
