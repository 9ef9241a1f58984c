import { asc, inArray } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { type BackendAccountRow, backendAccounts } from '../schema.ts';

export const backendAccountsRepository = {
  /** Every account of the given users, ordered by backend so lists are stable. */
  async byUserIds(db: Executor, userIds: readonly string[]): Promise<BackendAccountRow[]> {
    if (userIds.length === 0) return [];
    return db
      .select()
      .from(backendAccounts)
      .where(inArray(backendAccounts.userId, [...userIds]))
      .orderBy(asc(backendAccounts.backend));
  },
};
