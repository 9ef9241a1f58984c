import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { type OAuth2ConnectionRow, oauth2Connections } from '../schema.ts';
import { isUuid } from '../uuid.ts';

export interface PendingAuthorization {
  userId: string;
  providerId: string;
  state: string;
  stateExpiresAt: Date;
  returnTo: string | null;
}

export const oauth2ConnectionsRepository = {
  async byIds(db: Executor, ids: readonly string[]): Promise<OAuth2ConnectionRow[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    return db.select().from(oauth2Connections).where(inArray(oauth2Connections.id, valid));
  },

  async byId(db: Executor, id: string): Promise<OAuth2ConnectionRow | undefined> {
    if (!isUuid(id)) return undefined;
    const [row] = await db.select().from(oauth2Connections).where(eq(oauth2Connections.id, id));
    return row;
  },

  /** Every connection of the given users, by provider slug. */
  async byUserIds(db: Executor, userIds: readonly string[]): Promise<OAuth2ConnectionRow[]> {
    const valid = userIds.filter(isUuid);
    if (valid.length === 0) return [];
    return db
      .select()
      .from(oauth2Connections)
      .where(inArray(oauth2Connections.userId, valid))
      .orderBy(asc(oauth2Connections.providerId));
  },

  async byProvider(db: Executor, providerId: string): Promise<OAuth2ConnectionRow[]> {
    return db.select().from(oauth2Connections).where(eq(oauth2Connections.providerId, providerId));
  },

  /** Creates the user's connection to the provider, or resets the existing one, as PENDING with a fresh state. */
  async resetPending(db: Executor, pending: PendingAuthorization): Promise<OAuth2ConnectionRow> {
    const fresh = { status: 'PENDING' as const, state: pending.state, stateExpiresAt: pending.stateExpiresAt, returnTo: pending.returnTo };
    const [row] = await db
      .insert(oauth2Connections)
      .values({ userId: pending.userId, providerId: pending.providerId, ...fresh })
      .onConflictDoUpdate({ target: [oauth2Connections.userId, oauth2Connections.providerId], set: { ...fresh, updatedAt: new Date() } })
      .returning();
    if (!row) throw new Error('upsert into oauth2_connections returned no row');
    return row;
  },

  /**
   * Takes the state out of its connection and answers the connection as it
   * was. The row lock makes this single-use under concurrency: a second
   * callback with the same state waits, then finds no row.
   */
  async claimState(db: Executor, state: string): Promise<OAuth2ConnectionRow | undefined> {
    const [row] = await db.select().from(oauth2Connections).where(eq(oauth2Connections.state, state)).for('update');
    if (!row) return undefined;
    await db
      .update(oauth2Connections)
      .set({ state: null, stateExpiresAt: null, updatedAt: new Date() })
      .where(eq(oauth2Connections.id, row.id));
    return row;
  },

  /**
   * PENDING → CONNECTED, only if no newer authorization started since the
   * state was claimed (that would have set a new state) and the connection
   * still exists (a disconnect deletes it).
   */
  async markConnected(db: Executor, id: string): Promise<OAuth2ConnectionRow | undefined> {
    const [row] = await db
      .update(oauth2Connections)
      .set({ status: 'CONNECTED', updatedAt: new Date() })
      .where(and(eq(oauth2Connections.id, id), eq(oauth2Connections.status, 'PENDING'), isNull(oauth2Connections.state)))
      .returning();
    return row;
  },

  async delete(db: Executor, id: string): Promise<OAuth2ConnectionRow | undefined> {
    const [row] = await db.delete(oauth2Connections).where(eq(oauth2Connections.id, id)).returning();
    return row;
  },

  /** Users whose connection to one of the providers is CONNECTED: the only ones the access rules count. */
  async connectedTo(db: Executor, providerIds: readonly string[]): Promise<Array<{ userId: string; providerId: string }>> {
    if (providerIds.length === 0) return [];
    return db
      .select({ userId: oauth2Connections.userId, providerId: oauth2Connections.providerId })
      .from(oauth2Connections)
      .where(and(inArray(oauth2Connections.providerId, [...providerIds]), eq(oauth2Connections.status, 'CONNECTED')));
  },
};
