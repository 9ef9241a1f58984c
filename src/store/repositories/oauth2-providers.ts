import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { type OAuth2ProviderRow, oauth2Providers, resourcePoolProviders, resourcePools } from '../schema.ts';

export type NewOAuth2Provider = Omit<typeof oauth2Providers.$inferInsert, 'createdAt' | 'updatedAt'>;
export type OAuth2ProviderPatch = Partial<Omit<NewOAuth2Provider, 'id'>>;

export const oauth2ProvidersRepository = {
  async byIds(db: Executor, ids: readonly string[]): Promise<OAuth2ProviderRow[]> {
    if (ids.length === 0) return [];
    return db.select().from(oauth2Providers).where(inArray(oauth2Providers.id, [...ids]));
  },

  async byId(db: Executor, id: string): Promise<OAuth2ProviderRow | undefined> {
    const [row] = await db.select().from(oauth2Providers).where(eq(oauth2Providers.id, id));
    return row;
  },

  /** Providers are a handful of admin-made rows: the whole list, by slug. */
  async all(db: Executor): Promise<OAuth2ProviderRow[]> {
    return db.select().from(oauth2Providers).orderBy(asc(oauth2Providers.id));
  },

  async insert(db: Executor, provider: NewOAuth2Provider): Promise<OAuth2ProviderRow> {
    const [row] = await db.insert(oauth2Providers).values(provider).returning();
    if (!row) throw new Error('insert into oauth2_providers returned no row');
    return row;
  },

  async update(db: Executor, id: string, patch: OAuth2ProviderPatch): Promise<OAuth2ProviderRow | undefined> {
    const [row] = await db
      .update(oauth2Providers)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(oauth2Providers.id, id))
      .returning();
    return row;
  },

  async delete(db: Executor, id: string): Promise<boolean> {
    const rows = await db.delete(oauth2Providers).where(eq(oauth2Providers.id, id)).returning({ id: oauth2Providers.id });
    return rows.length > 0;
  },

  /**
   * Locks the providers' rows until the transaction ends. Every access rule
   * (connect, disconnect, pool link changes) takes this lock first, so two of
   * them touching the same provider run one after the other and each sees the
   * other's committed rows: without it, a pool created while a user connects
   * could miss that user's grant. Ids are locked in sorted order (no deadlock).
   * Returns the rows that exist.
   */
  async lock(db: Executor, ids: readonly string[]): Promise<OAuth2ProviderRow[]> {
    if (ids.length === 0) return [];
    const sorted = [...new Set(ids)].sort();
    return db
      .select()
      .from(oauth2Providers)
      .where(inArray(oauth2Providers.id, sorted))
      .orderBy(asc(oauth2Providers.id))
      .for('no key update');
  },

  /** Names of the pools linked to the provider (as their primary provider or a further one). */
  async referencingPoolNames(db: Executor, id: string): Promise<string[]> {
    const rows = await db
      .selectDistinct({ name: resourcePools.name })
      .from(resourcePools)
      .where(
        sql`${resourcePools.providerId} = ${id} or exists (select 1 from ${resourcePoolProviders} where ${resourcePoolProviders.poolId} = ${resourcePools.id} and ${resourcePoolProviders.providerId} = ${id})`,
      )
      .orderBy(asc(resourcePools.name));
    return rows.map((row) => row.name);
  },
};
