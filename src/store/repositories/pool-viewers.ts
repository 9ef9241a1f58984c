// Viewer grants on resource pools, each with its source: `manual` (an admin
// granted it) or `oauth2` (a provider connection gave it, `providerId` says
// which). The access rules only ever add or remove `oauth2` rows of one
// provider, so a manual grant, or a grant from another provider, survives.
//
// A DISABLED user's rows stay (the rules keep them exact while the user is
// disabled), but every read of access joins the user and counts only ACTIVE
// ones: access is suspended while disabled and, once enabled, is whatever
// the rows say then, with no snapshot to restore (docs/oauth2-and-pools.md).
import { and, asc, countDistinct, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { type ResourcePoolViewerRow, resourcePoolViewers, users } from '../schema.ts';
import { isUuid } from '../uuid.ts';
import { keyset, type PageWindow } from './pagination.ts';

export interface OAuth2Grant {
  poolId: string;
  userId: string;
  providerId: string;
}

// Five parameters a row: well under Postgres' 65535-parameter limit.
const INSERT_CHUNK = 1000;

const v = resourcePoolViewers;

/** The join that makes a grant count: its user is ACTIVE. */
export const activeViewer = and(eq(users.id, v.userId), eq(users.status, 'ACTIVE'));

export const poolViewersRepository = {
  /** Adds the grants that are not there yet. */
  async grantOAuth2(db: Executor, grants: readonly OAuth2Grant[]): Promise<void> {
    for (let start = 0; start < grants.length; start += INSERT_CHUNK) {
      const chunk = grants.slice(start, start + INSERT_CHUNK).map((grant) => ({ ...grant, source: 'oauth2' as const }));
      await db.insert(v).values(chunk).onConflictDoNothing();
    }
  },

  /** Disconnect: every grant this user's connection to this provider gave, on any pool. */
  async revokeOAuth2OfUser(db: Executor, userId: string, providerId: string): Promise<number> {
    const rows = await db
      .delete(v)
      .where(and(eq(v.userId, userId), eq(v.source, 'oauth2'), eq(v.providerId, providerId)))
      .returning({ id: v.id });
    return rows.length;
  },

  /** A pool unlinked from providers: the grants those providers gave on it. */
  async revokeOAuth2OnPool(db: Executor, poolId: string, providerIds: readonly string[]): Promise<number> {
    if (providerIds.length === 0) return 0;
    const rows = await db
      .delete(v)
      .where(and(eq(v.poolId, poolId), eq(v.source, 'oauth2'), inArray(v.providerId, [...providerIds])))
      .returning({ id: v.id });
    return rows.length;
  },

  /** A deleted user: every grant they held, manual and from providers, on every pool. */
  async revokeAllOfUser(db: Executor, userId: string): Promise<number> {
    const rows = await db.delete(v).where(eq(v.userId, userId)).returning({ id: v.id });
    return rows.length;
  },

  /** Returns false when the manual grant was already there. */
  async grantManual(db: Executor, poolId: string, userId: string): Promise<boolean> {
    const rows = await db.insert(v).values({ poolId, userId, source: 'manual', providerId: null }).onConflictDoNothing().returning({ id: v.id });
    return rows.length > 0;
  },

  /** Removes only the manual grant; grants from providers follow their connections. */
  async revokeManual(db: Executor, poolId: string, userId: string): Promise<boolean> {
    const rows = await db
      .delete(v)
      .where(and(eq(v.poolId, poolId), eq(v.userId, userId), eq(v.source, 'manual')))
      .returning({ id: v.id });
    return rows.length > 0;
  },

  /**
   * One keyset page of distinct viewers (by user id) for each of several
   * pools, in one statement: a window function numbers each pool's viewers.
   */
  async pageByPools(db: Executor, poolIds: readonly string[], window: PageWindow): Promise<Array<{ poolId: string; userId: string }>> {
    const valid = poolIds.filter(isUuid);
    if (valid.length === 0) return [];
    const page = keyset(v.userId, window);
    const pairs = db
      .selectDistinct({ poolId: v.poolId, userId: v.userId })
      .from(v)
      .innerJoin(users, activeViewer)
      .where(and(inArray(v.poolId, valid), ...page.where))
      .as('pairs');
    const direction = sql.raw(window.inverted ? 'desc' : 'asc');
    const ranked = db
      .select({
        poolId: pairs.poolId,
        userId: pairs.userId,
        rank: sql<number>`row_number() over (partition by ${pairs.poolId} order by ${pairs.userId} ${direction})`.as('rank'),
      })
      .from(pairs)
      .as('ranked');
    return db
      .select({ poolId: ranked.poolId, userId: ranked.userId })
      .from(ranked)
      .where(lte(ranked.rank, page.limit))
      .orderBy(asc(ranked.poolId), sql`${ranked.rank}`);
  },

  async countByPools(db: Executor, poolIds: readonly string[]): Promise<Array<{ poolId: string; n: number }>> {
    const valid = poolIds.filter(isUuid);
    if (valid.length === 0) return [];
    return db
      .select({ poolId: v.poolId, n: countDistinct(v.userId) })
      .from(v)
      .innerJoin(users, activeViewer)
      .where(inArray(v.poolId, valid))
      .groupBy(v.poolId);
  },

  /** Every grant row of these (ACTIVE) users on these pools (the caller picks the pairs it asked for). */
  async grantsOf(db: Executor, poolIds: readonly string[], userIds: readonly string[]): Promise<ResourcePoolViewerRow[]> {
    const pools = poolIds.filter(isUuid);
    const viewers = userIds.filter(isUuid);
    if (pools.length === 0 || viewers.length === 0) return [];
    const rows = await db
      .select({ grant: v })
      .from(v)
      .innerJoin(users, activeViewer)
      .where(and(inArray(v.poolId, pools), inArray(v.userId, viewers)))
      .orderBy(asc(v.id));
    return rows.map((row) => row.grant);
  },
};
