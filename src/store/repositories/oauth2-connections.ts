import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { type OAuth2ConnectionRow, oauth2Connections } from '../schema.ts';
import { isUuid } from '../uuid.ts';

export interface PendingAuthorization {
  userId: string;
  providerId: string;
  /** SHA-256 of the state the authorization URL carries. */
  stateHash: string;
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

  /**
   * Starts an authorization: creates the user's connection to the provider
   * as PENDING, or gives the existing one a fresh state. The status of an
   * existing connection is left alone: a CONNECTED one stays CONNECTED, with
   * its token and grants, while the re-authorization is in flight.
   */
  async startAuthorization(db: Executor, pending: PendingAuthorization): Promise<OAuth2ConnectionRow> {
    const fresh = { stateHash: pending.stateHash, stateExpiresAt: pending.stateExpiresAt, returnTo: pending.returnTo };
    const [row] = await db
      .insert(oauth2Connections)
      .values({ userId: pending.userId, providerId: pending.providerId, status: 'PENDING', ...fresh })
      .onConflictDoUpdate({ target: [oauth2Connections.userId, oauth2Connections.providerId], set: { ...fresh, updatedAt: new Date() } })
      .returning();
    if (!row) throw new Error('upsert into oauth2_connections returned no row');
    return row;
  },

  /**
   * Claims the authorization whose state hashes to `stateHash` and answers
   * the connection as it was; undefined when no authorization has that state
   * or a callback already claimed it. Claiming clears `stateExpiresAt` and
   * keeps the hash, which `complete` then requires: the row lock makes this
   * single-use under concurrency (a second callback with the same state
   * waits, then finds it claimed), and a newer authorization started
   * meanwhile replaces the hash, so the older one cannot complete.
   */
  async claimState(db: Executor, stateHash: string): Promise<OAuth2ConnectionRow | undefined> {
    const [row] = await db.select().from(oauth2Connections).where(eq(oauth2Connections.stateHash, stateHash)).for('update');
    if (!row || row.stateExpiresAt === null) return undefined;
    await db.update(oauth2Connections).set({ stateExpiresAt: null, updatedAt: new Date() }).where(eq(oauth2Connections.id, row.id));
    return row;
  },

  /**
   * The claimed authorization succeeded: the connection is CONNECTED (it may
   * have been already) and no authorization is in flight. Only if the
   * connection still exists (a disconnect deletes it) and no newer
   * authorization started since the state was claimed.
   */
  async complete(db: Executor, id: string, stateHash: string): Promise<OAuth2ConnectionRow | undefined> {
    const [row] = await db
      .update(oauth2Connections)
      .set({ status: 'CONNECTED', stateHash: null, stateExpiresAt: null, updatedAt: new Date() })
      .where(and(eq(oauth2Connections.id, id), eq(oauth2Connections.stateHash, stateHash), isNull(oauth2Connections.stateExpiresAt)))
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
