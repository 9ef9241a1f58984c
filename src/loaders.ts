// Per-request DataLoaders over repositories: every list field that would
// otherwise query once per parent row is batched into one query per level.
import DataLoader from 'dataloader';
import type { Executor } from './store/client.ts';
import { backendAccountsRepository } from './store/repositories/backend-accounts.ts';
import { usersRepository } from './store/repositories/users.ts';
import type { BackendAccountRow, UserRow } from './store/schema.ts';

/** Batch loader over a repository query that returns rows for many keys at once. */
function byKey<Row>(load: (keys: readonly string[]) => Promise<Row[]>, keyOf: (row: Row) => string) {
  return new DataLoader<string, Row | null>(async (keys) => {
    const rows = new Map((await load(keys)).map((row) => [keyOf(row), row]));
    return keys.map((key) => rows.get(key) ?? null);
  });
}

function groupedByKey<Row>(load: (keys: readonly string[]) => Promise<Row[]>, keyOf: (row: Row) => string) {
  return new DataLoader<string, Row[]>(async (keys) => {
    const groups = new Map<string, Row[]>(keys.map((key) => [key, []]));
    for (const row of await load(keys)) groups.get(keyOf(row))?.push(row);
    return keys.map((key) => groups.get(key) ?? []);
  });
}

export function createLoaders(db: Executor) {
  return {
    user: byKey<UserRow>((ids) => usersRepository.byIds(db, ids), (row) => row.id),
    accountsByUser: groupedByKey<BackendAccountRow>((ids) => backendAccountsRepository.byUserIds(db, ids), (row) => row.userId),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
