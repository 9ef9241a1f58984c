import { and, eq, lt, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { idempotencyKeys } from '../schema.ts';

export type IdempotencyRow = typeof idempotencyKeys.$inferSelect;

export type Claim =
  /** The caller's first use of the key (or a takeover of an abandoned one): run the request. */
  | { kind: 'new' }
  /** Used before for the same request. */
  | { kind: 'existing'; row: IdempotencyRow };

export const idempotencyKeysRepository = {
  /**
   * Claims (caller, key) for a request. An expired row is forgotten first; an
   * IN_PROGRESS row older than `abandonAfterMs` belonged to an instance that
   * died mid-request and is taken over.
   */
  async claim(
    db: Executor,
    entry: { caller: string; key: string; operation: string; requestHash: string; ttlMs: number; abandonAfterMs: number },
  ): Promise<Claim> {
    const where = and(eq(idempotencyKeys.caller, entry.caller), eq(idempotencyKeys.key, entry.key));
    await db.delete(idempotencyKeys).where(and(where, lt(idempotencyKeys.expiresAt, sql`now()`)));
    const inserted = await db
      .insert(idempotencyKeys)
      .values({
        caller: entry.caller,
        key: entry.key,
        operation: entry.operation,
        requestHash: entry.requestHash,
        status: 'IN_PROGRESS',
        expiresAt: sql`now() + ${`${entry.ttlMs} milliseconds`}::interval`,
      })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (inserted.length > 0) return { kind: 'new' };
    const takenOver = await db
      .update(idempotencyKeys)
      .set({ createdAt: sql`now()` })
      .where(
        and(
          where,
          eq(idempotencyKeys.status, 'IN_PROGRESS'),
          eq(idempotencyKeys.requestHash, entry.requestHash),
          lt(idempotencyKeys.createdAt, sql`now() - ${`${entry.abandonAfterMs} milliseconds`}::interval`),
        ),
      )
      .returning({ key: idempotencyKeys.key });
    if (takenOver.length > 0) return { kind: 'new' };
    const row = await this.get(db, entry.caller, entry.key);
    // Deleted between the insert and the read (expiry sweep): claim again.
    if (!row) return this.claim(db, entry);
    return { kind: 'existing', row };
  },

  async get(db: Executor, caller: string, key: string): Promise<IdempotencyRow | undefined> {
    const [row] = await db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.caller, caller), eq(idempotencyKeys.key, key)));
    return row;
  },

  async complete(db: Executor, caller: string, key: string, response: unknown): Promise<void> {
    await db
      .update(idempotencyKeys)
      .set({ status: 'DONE', response })
      .where(and(eq(idempotencyKeys.caller, caller), eq(idempotencyKeys.key, key)));
  },

  /** Forgets a claim whose request never produced a result, so a retry may run it. */
  async release(db: Executor, caller: string, key: string): Promise<void> {
    await db
      .delete(idempotencyKeys)
      .where(and(eq(idempotencyKeys.caller, caller), eq(idempotencyKeys.key, key), eq(idempotencyKeys.status, 'IN_PROGRESS')));
  },

  async deleteExpired(db: Executor): Promise<number> {
    const rows = await db.delete(idempotencyKeys).where(lt(idempotencyKeys.expiresAt, sql`now()`)).returning({ key: idempotencyKeys.key });
    return rows.length;
  },
};
