import { and, asc, eq, inArray, isNotNull, isNull, lt, lte, ne, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { anyUuid, rowsByUuids } from './any-uuid.ts';
import { columnKeys } from '../selected-rows.ts';
import { type AccountStatus, type Backend, type BackendAccountRow, backendAccounts, type UserStatus } from '../schema.ts';

/**
 * An account has work to do until it was fully provisioned, its status is
 * the one wanted and its profile the latest, unless it is someone else's
 * (CONFLICT): that waits for an admin.
 */
const unsettled: SQL = or(
  isNull(backendAccounts.syncedAt),
  ne(backendAccounts.status, backendAccounts.desiredStatus),
  ne(backendAccounts.profileSyncedVersion, backendAccounts.profileVersion),
) as SQL;
const needsWork: SQL = and(unsettled, ne(backendAccounts.status, 'CONFLICT')) as SQL;
const leaseFree: SQL = or(isNull(backendAccounts.leaseUntil), lt(backendAccounts.leaseUntil, sql`now()`)) as SQL;
const leaseFor = (ms: number) => sql`now() + ${`${Math.ceil(ms)} milliseconds`}::interval`;

export interface AccountOutcome {
  status: AccountStatus;
  externalId?: string | null;
  externalRef?: string | null;
  /** The profile version the backend now holds (the one the account was claimed at). */
  profileSyncedVersion?: number;
}

/**
 * The columns the API shows of an account (plus its owner, for the `self`
 * rule): what lists read. Leases, wanted status and bookkeeping timestamps
 * stay in the store; skipping them halves the decoding of a page's accounts.
 */
const viewColumns = {
  id: backendAccounts.id,
  userId: backendAccounts.userId,
  backend: backendAccounts.backend,
  externalId: backendAccounts.externalId,
  status: backendAccounts.status,
  ownership: backendAccounts.ownership,
  lastError: backendAccounts.lastError,
  attempts: backendAccounts.attempts,
  nextAttemptAt: backendAccounts.nextAttemptAt,
  syncedAt: backendAccounts.syncedAt,
};

export type BackendAccountView = Pick<BackendAccountRow, keyof typeof viewColumns>;

/** Every column of an account view, by key: what `viewsByUserIds` may be asked to read. */
export const BACKEND_ACCOUNT_VIEW_COLUMNS = columnKeys<BackendAccountView>(viewColumns);
export type BackendAccountViewColumn = (typeof BACKEND_ACCOUNT_VIEW_COLUMNS)[number];

const viewsByUser = rowsByUuids<BackendAccountView>(backendAccounts, viewColumns, backendAccounts.userId, backendAccounts.backend);

export const backendAccountsRepository = {
  /** Every account of the given users, ordered by backend so lists are stable. */
  async byUserIds(db: Executor, userIds: readonly string[]): Promise<BackendAccountRow[]> {
    if (userIds.length === 0) return [];
    return db
      .select()
      .from(backendAccounts)
      .where(anyUuid(backendAccounts.userId, userIds))
      .orderBy(asc(backendAccounts.backend));
  },

  /**
   * `byUserIds`, reading only what the API shows, and of that only `columns`
   * (see `chosenColumns`), `userId` always among them.
   */
  async viewsByUserIds(db: Executor, userIds: readonly string[], columns: readonly BackendAccountViewColumn[] = BACKEND_ACCOUNT_VIEW_COLUMNS): Promise<BackendAccountView[]> {
    if (userIds.length === 0) return [];
    return viewsByUser(db, userIds, columns);
  },

  async byExternalId(db: Executor, backend: Backend, externalId: string): Promise<BackendAccountRow | undefined> {
    const [row] = await db
      .select()
      .from(backendAccounts)
      .where(and(eq(backendAccounts.backend, backend), eq(backendAccounts.externalId, externalId)));
    return row;
  },

  /** One PENDING account per backend; backends the user already has are left as they are. */
  async insertPending(db: Executor, userId: string, backends: readonly Backend[], desiredStatus: UserStatus): Promise<void> {
    if (backends.length === 0) return;
    await db
      .insert(backendAccounts)
      .values(backends.map((backend) => ({ userId, backend, desiredStatus })))
      .onConflictDoNothing({ target: [backendAccounts.userId, backendAccounts.backend] });
  },

  /** An account found in a backend by import (an admin's bulk adoption): linked and confirmed as it is there. */
  async insertLinked(
    db: Executor,
    account: { userId: string; backend: Backend; externalId: string; externalRef: string; active: boolean },
  ): Promise<boolean> {
    const status: UserStatus = account.active ? 'ACTIVE' : 'DISABLED';
    const rows = await db
      .insert(backendAccounts)
      .values({ ...account, status, desiredStatus: status, ownership: 'ADOPTED', syncedAt: new Date() })
      .onConflictDoNothing({ target: [backendAccounts.userId, backendAccounts.backend] })
      .returning({ id: backendAccounts.id });
    return rows.length > 0;
  },

  async setDesiredStatus(db: Executor, userId: string, desiredStatus: UserStatus): Promise<void> {
    await db.update(backendAccounts).set({ desiredStatus, updatedAt: new Date() }).where(eq(backendAccounts.userId, userId));
  },

  /** The user's profile changed: every account's desired profile is the new one. */
  async bumpProfile(db: Executor, userId: string): Promise<void> {
    await db
      .update(backendAccounts)
      .set({ profileVersion: sql`${backendAccounts.profileVersion} + 1`, updatedAt: new Date() })
      .where(eq(backendAccounts.userId, userId));
  },

  /**
   * Take the user's accounts that have work to do and that no other
   * instance holds, for `leaseMs`. The conditional UPDATE is atomic, so of
   * several instances racing for one account exactly one gets it.
   */
  async claimForUser(db: Executor, userId: string, leaseMs: number, includeConflicts = false): Promise<BackendAccountRow[]> {
    return db
      .update(backendAccounts)
      .set({ leaseUntil: leaseFor(leaseMs), attempts: sql`${backendAccounts.attempts} + 1` })
      .where(and(eq(backendAccounts.userId, userId), includeConflicts ? unsettled : needsWork, leaseFree))
      .returning();
  },

  /**
   * For the retry worker: accounts whose retry time has come. SKIP LOCKED
   * lets several instances poll at once, each taking different rows.
   */
  async claimDue(db: Executor, limit: number, leaseMs: number): Promise<BackendAccountRow[]> {
    return db.transaction(async (tx) => {
      const due = await tx
        .select({ id: backendAccounts.id })
        .from(backendAccounts)
        .where(and(needsWork, leaseFree, isNotNull(backendAccounts.nextAttemptAt), lte(backendAccounts.nextAttemptAt, sql`now()`)))
        .orderBy(asc(backendAccounts.nextAttemptAt))
        .limit(limit)
        .for('update', { skipLocked: true });
      if (due.length === 0) return [];
      return tx
        .update(backendAccounts)
        .set({ leaseUntil: leaseFor(leaseMs), attempts: sql`${backendAccounts.attempts} + 1` })
        .where(
          inArray(
            backendAccounts.id,
            due.map((row) => row.id),
          ),
        )
        .returning();
    });
  },

  /**
   * Progress that must survive a later failure: the backend account exists
   * now and is proven the gateway's own (backends report progress only then).
   */
  async recordLink(db: Executor, id: string, link: { externalId: string; externalRef: string }): Promise<void> {
    await db
      .update(backendAccounts)
      .set({ ...link, ownership: 'CREATED', updatedAt: new Date() })
      .where(eq(backendAccounts.id, id));
  },

  /** The backend holds someone else's account for this user: recorded, and not retried. */
  async recordConflict(db: Executor, id: string, lastError: string): Promise<void> {
    await db
      .update(backendAccounts)
      .set({ status: 'CONFLICT', lastError, nextAttemptAt: null, leaseUntil: null, updatedAt: new Date() })
      .where(eq(backendAccounts.id, id));
  },

  /** An admin's adoption: linked as the backend holds it, to be brought to `desiredStatus`. */
  async adopt(
    db: Executor,
    account: { userId: string; backend: Backend; externalId: string; externalRef: string; active: boolean; desiredStatus: UserStatus },
  ): Promise<BackendAccountRow> {
    const linked = {
      externalId: account.externalId,
      externalRef: account.externalRef,
      ownership: 'ADOPTED' as const,
      status: account.active ? ('ACTIVE' as const) : ('DISABLED' as const),
      desiredStatus: account.desiredStatus,
      lastError: null,
      attempts: 0,
      nextAttemptAt: null,
      leaseUntil: null,
      syncedAt: new Date(),
    };
    const [row] = await db
      .insert(backendAccounts)
      .values({ userId: account.userId, backend: account.backend, ...linked })
      // Adoption takes the account as the backend holds it: only later profile changes are pushed.
      .onConflictDoUpdate({
        target: [backendAccounts.userId, backendAccounts.backend],
        set: { ...linked, profileSyncedVersion: sql`${backendAccounts.profileVersion}`, updatedAt: new Date() },
      })
      .returning();
    if (!row) throw new Error('adopting an account returned no row');
    return row;
  },

  /** Forget the link (the backend account is left as it is). */
  async remove(db: Executor, userId: string, backend: Backend): Promise<BackendAccountRow | undefined> {
    const [row] = await db
      .delete(backendAccounts)
      .where(and(eq(backendAccounts.userId, userId), eq(backendAccounts.backend, backend)))
      .returning();
    return row;
  },

  async recordSuccess(db: Executor, id: string, outcome: AccountOutcome): Promise<BackendAccountRow | undefined> {
    const [row] = await db
      .update(backendAccounts)
      .set({
        ...outcome,
        lastError: null,
        attempts: 0,
        // A profile change that arrived while this run held the lease is due at once.
        nextAttemptAt:
          outcome.profileSyncedVersion === undefined ? null : sql`case when ${backendAccounts.profileVersion} <> ${outcome.profileSyncedVersion} then now() end`,
        leaseUntil: null,
        syncedAt: new Date(),
        updatedAt: new Date(),
      })
      .where(eq(backendAccounts.id, id))
      .returning();
    return row;
  },

  async recordFailure(db: Executor, id: string, failure: { lastError: string; nextAttemptAt: Date | null }): Promise<BackendAccountRow | undefined> {
    const [row] = await db
      .update(backendAccounts)
      .set({ ...failure, status: 'FAILED', leaseUntil: null, updatedAt: new Date() })
      .where(eq(backendAccounts.id, id))
      .returning();
    return row;
  },
};
