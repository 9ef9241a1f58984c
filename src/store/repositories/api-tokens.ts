import { and, count, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { type ApiTokenRow, apiTokens, type UserStatus, users } from '../schema.ts';
import { isUuid } from '../uuid.ts';
import { keyset, type PageWindow } from './pagination.ts';

// Touching `last_used_at` on every request would turn each read into a write;
// once a minute is precise enough to spot unused tokens.
const TOUCH_INTERVAL_MS = 60_000;

export const apiTokensRepository = {
  async insert(db: Executor, token: { name: string; tokenHash: string; scopes: string[]; userId: string | null }): Promise<ApiTokenRow> {
    const [row] = await db.insert(apiTokens).values(token).returning();
    if (!row) throw new Error('insert into api_tokens returned no row');
    return row;
  },

  async byIds(db: Executor, ids: readonly string[]): Promise<ApiTokenRow[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    return db.select().from(apiTokens).where(inArray(apiTokens.id, valid));
  },

  /**
   * The token with this hash, revoked or not, and the status of the user it
   * is bound to (null for a service token), marking a live one used (at most
   * once a minute). One statement for both: it runs on every request. A
   * revoked token is answered too, so that a deleted user's token can be
   * told apart from any other revoked one.
   */
  async use(
    db: Executor,
    tokenHash: string,
    now = new Date(),
  ): Promise<(ApiTokenRow & { userStatus: UserStatus | null; userDeletedAt: Date | null }) | undefined> {
    const [found] = await db
      .select({ token: apiTokens, userStatus: users.status, userDeletedAt: users.deletedAt })
      .from(apiTokens)
      .leftJoin(users, eq(users.id, apiTokens.userId))
      .where(eq(apiTokens.tokenHash, tokenHash));
    if (!found) return undefined;
    const row = { ...found.token, userStatus: found.userStatus, userDeletedAt: found.userDeletedAt };
    if (row.revokedAt !== null || row.userDeletedAt !== null) return row;
    if (row.lastUsedAt === null || now.getTime() - row.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      await db
        .update(apiTokens)
        .set({ lastUsedAt: now })
        .where(and(eq(apiTokens.id, row.id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, new Date(now.getTime() - TOUCH_INTERVAL_MS)))));
    }
    return row;
  },

  /** Revokes every live token bound to the user (a deleted user's); answers how many. */
  async revokeForUser(db: Executor, userId: string): Promise<number> {
    const rows = await db
      .update(apiTokens)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id });
    return rows.length;
  },

  /** Revokes once; a second revoke keeps the first time. */
  async revoke(db: Executor, id: string): Promise<ApiTokenRow | undefined> {
    const [row] = await db
      .update(apiTokens)
      .set({ revokedAt: sql`coalesce(${apiTokens.revokedAt}, now())` })
      .where(eq(apiTokens.id, id))
      .returning();
    return row;
  },

  async page(db: Executor, window: PageWindow): Promise<ApiTokenRow[]> {
    const page = keyset(apiTokens.id, window);
    return db
      .select()
      .from(apiTokens)
      .where(and(...page.where))
      .orderBy(page.orderBy)
      .limit(page.limit);
  },

  async count(db: Executor): Promise<number> {
    const [row] = await db.select({ n: count() }).from(apiTokens);
    return row?.n ?? 0;
  },
};
