import type { PgColumn } from 'drizzle-orm/pg-core';
import { and, asc, count, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { anyUuid, uuidArray } from './any-uuid.ts';
import { statementTemplates } from '../statement-template.ts';
import { type ResourcePoolProviderRow, type ResourcePoolRow, resourcePoolProviders, resourcePools, resourcePoolViewers, users } from '../schema.ts';
import { activeViewer } from './pool-viewers.ts';
import { chosenColumns, columnKeys, selectRows } from '../selected-rows.ts';
import { isUuid } from '../uuid.ts';
import { keyset, type PageWindow } from './pagination.ts';

export type NewResourcePool = Pick<typeof resourcePools.$inferInsert, 'name' | 'public' | 'isDefault' | 'quota' | 'remoteKind' | 'providerId'>;
export type ResourcePoolPatch = Partial<NewResourcePool>;

const poolColumns = getTableColumns(resourcePools);

/** Every column of a pool row, by key: what `viewedBy` may be asked to read. */
export const RESOURCE_POOL_COLUMNS = columnKeys<ResourcePoolRow>(poolColumns);
export type ResourcePoolColumn = (typeof RESOURCE_POOL_COLUMNS)[number];

const viewedByStatements = statementTemplates<{ userIds: string }>();

export const resourcePoolsRepository = {
  async byIds(db: Executor, ids: readonly string[]): Promise<ResourcePoolRow[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    return db.select().from(resourcePools).where(anyUuid(resourcePools.id, valid));
  },

  async byId(db: Executor, id: string): Promise<ResourcePoolRow | undefined> {
    if (!isUuid(id)) return undefined;
    const [row] = await db.select().from(resourcePools).where(eq(resourcePools.id, id));
    return row;
  },

  /**
   * Reads and locks pools against concurrent updates until the transaction
   * ends. `no key update` still lets grants referencing the pool be inserted
   * meanwhile (their foreign-key check only needs `key share`).
   */
  async lockRows(db: Executor, ids: readonly string[]): Promise<ResourcePoolRow[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    return db.select().from(resourcePools).where(inArray(resourcePools.id, valid)).for('no key update');
  },

  async page(db: Executor, window: PageWindow): Promise<ResourcePoolRow[]> {
    const page = keyset(resourcePools.id, window);
    return db
      .select()
      .from(resourcePools)
      .where(and(...page.where))
      .orderBy(page.orderBy)
      .limit(page.limit);
  },

  async count(db: Executor): Promise<number> {
    const [row] = await db.select({ n: count() }).from(resourcePools);
    return row?.n ?? 0;
  },

  async defaultPool(db: Executor): Promise<ResourcePoolRow | undefined> {
    const [row] = await db.select().from(resourcePools).where(eq(resourcePools.isDefault, true));
    return row;
  },

  async insert(db: Executor, pool: NewResourcePool): Promise<ResourcePoolRow> {
    const [row] = await db.insert(resourcePools).values(pool).returning();
    if (!row) throw new Error('insert into resource_pools returned no row');
    return row;
  },

  async update(db: Executor, id: string, patch: ResourcePoolPatch): Promise<ResourcePoolRow | undefined> {
    const [row] = await db
      .update(resourcePools)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(resourcePools.id, id))
      .returning();
    return row;
  },

  async delete(db: Executor, id: string): Promise<ResourcePoolRow | undefined> {
    const [row] = await db.delete(resourcePools).where(eq(resourcePools.id, id)).returning();
    return row;
  },

  /** The provider links of the given pools, oldest first. */
  async links(db: Executor, poolIds: readonly string[]): Promise<ResourcePoolProviderRow[]> {
    const valid = poolIds.filter(isUuid);
    if (valid.length === 0) return [];
    return db
      .select()
      .from(resourcePoolProviders)
      .where(anyUuid(resourcePoolProviders.poolId, valid))
      .orderBy(asc(resourcePoolProviders.createdAt), asc(resourcePoolProviders.providerId));
  },

  async linkedProviderIds(db: Executor, poolId: string): Promise<string[]> {
    const rows = await db
      .select({ providerId: resourcePoolProviders.providerId })
      .from(resourcePoolProviders)
      .where(eq(resourcePoolProviders.poolId, poolId));
    return rows.map((row) => row.providerId);
  },

  async link(db: Executor, poolId: string, providerIds: readonly string[]): Promise<void> {
    if (providerIds.length === 0) return;
    await db
      .insert(resourcePoolProviders)
      .values(providerIds.map((providerId) => ({ poolId, providerId })))
      .onConflictDoNothing();
  },

  async unlink(db: Executor, poolId: string, providerIds: readonly string[]): Promise<void> {
    if (providerIds.length === 0) return;
    await db
      .delete(resourcePoolProviders)
      .where(and(eq(resourcePoolProviders.poolId, poolId), inArray(resourcePoolProviders.providerId, [...providerIds])));
  },

  async poolIdsLinkedTo(db: Executor, providerId: string): Promise<string[]> {
    const rows = await db
      .select({ poolId: resourcePoolProviders.poolId })
      .from(resourcePoolProviders)
      .where(eq(resourcePoolProviders.providerId, providerId));
    return rows.map((row) => row.poolId);
  },

  /**
   * The pools any of the users holds a viewer grant on, in pool creation
   * order, each once with the positions in `userIds` of those users among
   * its viewers. One row per pool, not per (user, pool): a page of users
   * shares a few hundred pools, and reading and mapping each pool row once is
   * most of the cost of `User.resourcePools`. Only ACTIVE users view pools
   * (the grants of a DISABLED one are suspended). Each pool holds only `columns`
   * (see `chosenColumns`), `id` always among them.
   */
  async viewedBy(
    db: Executor,
    userIds: readonly string[],
    columns: readonly ResourcePoolColumn[] = RESOURCE_POOL_COLUMNS,
  ): Promise<Array<{ pool: ResourcePoolRow; viewerPositions: number[] }>> {
    // An id that is no uuid keeps its place as a null that matches nothing.
    const keys = userIds.map((id) => (isUuid(id) ? id : null));
    if (keys.every((key) => key === null)) return [];
    const chosen = chosenColumns<ResourcePoolRow, ResourcePoolColumn, PgColumn>(poolColumns, columns);
    const statement = viewedByStatements(columns.join(','), () => {
      const page = sql`unnest(${sql.placeholder('userIds')}::uuid[]) with ordinality as page(user_id, n)`;
      const viewers = db
        .selectDistinct({ poolId: resourcePoolViewers.poolId, n: sql<number>`page.n`.as('n') })
        .from(resourcePoolViewers)
        .innerJoin(page, sql`page.user_id = ${resourcePoolViewers.userId}`)
        // A DISABLED user views nothing (their grants wait for them), in this same statement.
        .innerJoin(users, activeViewer)
        .as('v');
      // Positions as a JSON array: the driver parses it with JSON.parse, where
      // ids (as text or uuid[]) cost a string each and a lookup by it.
      return db
        .select({ pool: chosen.columns, positions: sql`json_agg(${viewers.n})`.as('viewer_positions') })
        .from(resourcePools)
        .innerJoin(viewers, eq(viewers.poolId, resourcePools.id))
        .groupBy(resourcePools.id)
        .orderBy(asc(resourcePools.id));
    });
    const query = statement({ userIds: uuidArray(keys) });
    return selectRows(db, query, (raw) => ({ pool: chosen.read(raw), viewerPositions: positionsOf(raw.viewer_positions) }));
  },
};

/** 1-based positions from `json_agg`, as 0-based indexes; the drivers hand JSON over parsed, or as text. */
function positionsOf(value: unknown): number[] {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (!Array.isArray(parsed)) throw new Error('viewer positions are not a JSON array');
  return parsed.map((n) => Number(n) - 1);
}
