// Bench data written straight into the store's tables, not through the API,
// so the bench can seed areas whose mutations are not built yet, and with
// plain SQL so that 150k rows take seconds. A fixed PRNG seed makes every
// run hold the same shape of data.
import { v7 as uuidv7 } from 'uuid';
import type { Store } from '../../src/store/client.ts';
import { SERVICE_TYPES } from '../../src/store/schema.ts';

export interface SeedSizes {
  users: number;
  pools: number;
  /** Viewer grants per user: more than the 10 scenario 1 asks for, so the per-user limit matters. */
  poolsPerUser: number;
  databaseUsers: number;
  services: number;
}

export const BENCH_SEED: SeedSizes = { users: 10_000, pools: 200, poolsPerUser: 12, databaseUsers: 500, services: 1_000 };

export interface SeedReport {
  users: number;
  backendAccounts: number;
  pools: number;
  viewers: number;
  databaseUsers: number;
  services: number;
  ms: number;
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export async function seedBench(store: Store, sizes: SeedSizes = BENCH_SEED): Promise<SeedReport> {
  const started = performance.now();
  const random = mulberry32(7);
  // One statement per table: every column travels as one array parameter
  // and `unnest` turns them back into rows, which is far faster than
  // multi-row VALUES for 100k rows.
  const insert = async (table: string, columns: Record<string, { type: string; values: unknown[] }>) => {
    const names = Object.keys(columns);
    const params = names.map((name, i) => `$${i + 1}::${columns[name]?.type ?? 'text'}[]`);
    await store.raw(`insert into ${table} (${names.join(', ')}) select * from unnest(${params.join(', ')})`, names.map((name) => columns[name]?.values ?? []));
  };

  // UUIDv7 ids are generated in creation order, so id order is name order:
  // pages and per-user pool lists have one obvious expected order.
  const userIds = Array.from({ length: sizes.users }, () => uuidv7());
  const usernames = userIds.map((_, i) => `user${pad(i, 5)}`);
  const statuses = userIds.map((_, i) => (i % 20 === 19 ? 'DISABLED' : 'ACTIVE'));
  await insert('users', {
    id: { type: 'uuid', values: userIds },
    email: { type: 'text', values: usernames.map((name) => `${name}@bench.example`) },
    username: { type: 'text', values: usernames },
    display_name: { type: 'text', values: userIds.map((_, i) => `Bench User ${i}`) },
    status: { type: 'text', values: statuses },
  });

  const accounts = userIds.flatMap((id, i) =>
    (['RETOOL', 'FORGE'] as const).map((backend) => ({
      id: uuidv7(),
      userId: id,
      backend,
      externalId: String(backend === 'RETOOL' ? i + 1 : i + 2),
      externalRef: backend === 'RETOOL' ? `user_${id.replaceAll('-', '').slice(0, 16)}` : (usernames[i] ?? ''),
      status: statuses[i] ?? 'ACTIVE',
    })),
  );
  const syncedAt = new Date().toISOString();
  await insert('backend_accounts', {
    id: { type: 'uuid', values: accounts.map((a) => a.id) },
    user_id: { type: 'uuid', values: accounts.map((a) => a.userId) },
    backend: { type: 'text', values: accounts.map((a) => a.backend) },
    external_id: { type: 'text', values: accounts.map((a) => a.externalId) },
    external_ref: { type: 'text', values: accounts.map((a) => a.externalRef) },
    status: { type: 'text', values: accounts.map((a) => a.status) },
    desired_status: { type: 'text', values: accounts.map((a) => a.status) },
    synced_at: { type: 'timestamptz', values: accounts.map(() => syncedAt) },
  });

  const poolIds = Array.from({ length: sizes.pools }, () => uuidv7());
  await insert('resource_pools', {
    id: { type: 'uuid', values: poolIds },
    name: { type: 'text', values: poolIds.map((_, i) => `pool-${pad(i, 3)}`) },
    quota: { type: 'jsonb', values: poolIds.map((_, i) => JSON.stringify({ cpu: 4 + (i % 8), memory: 16 + (i % 4) * 16, gpu: i % 10 === 0 ? 1 : 0 })) },
  });

  const viewerPools: string[] = [];
  const viewerUsers: string[] = [];
  const order = poolIds.map((_, i) => i);
  for (const userId of userIds) {
    // Partial Fisher-Yates: `poolsPerUser` distinct pools per user.
    for (let k = 0; k < sizes.poolsPerUser; k += 1) {
      const pick = k + Math.floor(random() * (order.length - k));
      const chosen = order[pick] ?? 0;
      order[pick] = order[k] ?? 0;
      order[k] = chosen;
      viewerPools.push(poolIds[chosen] ?? '');
      viewerUsers.push(userId);
    }
  }
  await insert('resource_pool_viewers', {
    id: { type: 'uuid', values: viewerPools.map(() => uuidv7()) },
    pool_id: { type: 'uuid', values: viewerPools },
    user_id: { type: 'uuid', values: viewerUsers },
    source: { type: 'text', values: viewerPools.map(() => 'manual') },
  });

  const databaseUserIds = Array.from({ length: sizes.databaseUsers }, () => uuidv7());
  await insert('database_users', {
    id: { type: 'uuid', values: databaseUserIds },
    username: { type: 'text', values: databaseUserIds.map((_, i) => `bench_db_${pad(i, 3)}`) },
    attributes: { type: 'jsonb', values: databaseUserIds.map(() => JSON.stringify(['LOGIN'])) },
    roles: { type: 'jsonb', values: databaseUserIds.map((_, i) => JSON.stringify(i % 3 === 0 ? ['bench_reader'] : [])) },
  });

  // Every database user is the `connect_as` of about two services, unevenly.
  const serviceIds = Array.from({ length: sizes.services }, () => uuidv7());
  await insert('services', {
    id: { type: 'uuid', values: serviceIds },
    service_id: { type: 'text', values: serviceIds.map((_, i) => `svc-${pad(i, 4)}`) },
    type: { type: 'text', values: serviceIds.map((_, i) => SERVICE_TYPES[i % SERVICE_TYPES.length] ?? 'MCP') },
    version: { type: 'text', values: serviceIds.map(() => '1') },
    config: { type: 'jsonb', values: serviceIds.map((_, i) => JSON.stringify({ replicas: 1 + (i % 3) })) },
    connect_as_id: { type: 'uuid', values: serviceIds.map(() => databaseUserIds[Math.floor(random() * databaseUserIds.length)] ?? '') },
  });

  // Fresh tables have no statistics; without them the planner guesses.
  await store.raw('analyze');

  return {
    users: userIds.length,
    backendAccounts: accounts.length,
    pools: poolIds.length,
    viewers: viewerPools.length,
    databaseUsers: databaseUserIds.length,
    services: serviceIds.length,
    ms: Math.round(performance.now() - started),
  };
}
