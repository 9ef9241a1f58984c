import { and, asc, eq, inArray, isNotNull, isNull, lt, lte, ne, or, type Placeholder, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { anyUuid, rowsByUuids } from './any-uuid.ts';
import { columnKeys, selectRows, tableReader } from '../selected-rows.ts';
import { columnPlaceholder, statementTemplates, together } from '../statement-template.ts';
import { type AccountOwnership, type AccountStatus, type Backend, type BackendAccountRow, backendAccounts, newRowId, type UserStatus, users } from '../schema.ts';

/**
 * Converged: the backend confirmed the current generation of the desired
 * state (a profile change is a new generation too: `bumpProfile`). Anything
 * else is work, unless the account is someone else's (CONFLICT): that waits
 * for an admin.
 */
export const convergedSql: SQL = and(
  isNotNull(backendAccounts.syncedAt),
  eq(backendAccounts.status, backendAccounts.desiredStatus),
  eq(backendAccounts.confirmedVersion, backendAccounts.desiredVersion),
) as SQL;
const unsettled: SQL = sql`not (${convergedSql})`;
const needsWork: SQL = and(unsettled, ne(backendAccounts.status, 'CONFLICT')) as SQL;
const leaseFree: SQL = or(isNull(backendAccounts.leaseUntil), lt(backendAccounts.leaseUntil, sql`now()`)) as SQL;
/**
 * Due for the worker: its retry time has come, or it has none and is not
 * parked. New accounts, accounts whose desired state just changed and
 * accounts a crashed instance held all fall under the first two; a FAILED
 * account without a retry time failed permanently and waits for a change of
 * its desired state or an explicit `retryProvisioning`.
 */
const due: SQL = or(
  lte(backendAccounts.nextAttemptAt, sql`now()`),
  and(isNull(backendAccounts.nextAttemptAt), ne(backendAccounts.status, 'FAILED')),
) as SQL;
const leaseInterval = (ms: number) => `${Math.ceil(ms)} milliseconds`;
/** `ms` from now; a statement template passes the interval (`leaseInterval`) as a placeholder. */
const leaseFor = (ms: number | Placeholder<string, string>) => sql`now() + ${typeof ms === 'number' ? leaseInterval(ms) : ms}::interval`;
const heldBy = (id: string | Placeholder<string, string>, owner: string | Placeholder<string, string>) => and(eq(backendAccounts.id, id), eq(backendAccounts.leaseOwner, owner));
// A create's writes, built once each (docs/performance.md, change 34): the
// Drizzle builder renders a statement at every call otherwise.
const writeStatements = statementTemplates<Record<string, unknown>>();
const readAccount = tableReader(backendAccounts);

/** What a new user's accounts are inserted with: one per backend, already leased to `owner`. */
export interface AccountClaim {
  backends: readonly Backend[];
  leaseMs: number;
  owner: string;
}

/**
 * The inserts of a new user's accounts, for a statement whose common table
 * expression `newUser` inserted the user (users.ts, `insertIfFreeWithAccounts`):
 * one expression per backend, each inserting a row only when `newUser`
 * holds one, wanted in the user's status, already leased (as
 * `claimForUser` would leave it: one attempt, the lease running), so the
 * insert is also the claim. `accounts` is the relation of the inserted
 * rows. The placeholders are `claimedAccountValues`'.
 */
export function claimedAccountInserts(newUser: SQL, count: number): { ctes: SQL[]; accounts: SQL } {
  const columns = [backendAccounts.id, backendAccounts.userId, backendAccounts.backend, backendAccounts.desiredStatus, backendAccounts.attempts, backendAccounts.leaseUntil, backendAccounts.leaseOwner];
  const names = sql.join(columns.map((column) => sql.identifier(column.name)), sql`, `);
  const ctes: SQL[] = [];
  const reads: SQL[] = [];
  for (let index = 0; index < count; index += 1) {
    const name = sql.identifier(`claimed_${index}`);
    // A select's untyped parameters take the types of the columns they are inserted into.
    ctes.push(
      sql`${name} as (insert into ${backendAccounts} (${names}) select ${sql.placeholder(`id${index}`)}, ${newUser}.${sql.identifier(users.id.name)}, ${sql.placeholder(`backend${index}`)}, ${newUser}.${sql.identifier(users.status.name)}, 1, ${leaseFor(sql.placeholder('lease'))}, ${sql.placeholder('owner')} from ${newUser} returning *)`,
    );
    reads.push(sql`select * from ${name}`);
  }
  return { ctes, accounts: sql`(${sql.join(reads, sql` union all `)})` };
}

/** The values of `claimedAccountInserts`' placeholders: new ids passed in (`newRowId`). */
export function claimedAccountValues(claim: AccountClaim): Record<string, unknown> {
  const values: Record<string, unknown> = { lease: leaseInterval(claim.leaseMs), owner: claim.owner };
  claim.backends.forEach((backend, index) => {
    values[`id${index}`] = newRowId();
    values[`backend${index}`] = backend;
  });
  return values;
}

/** Accounts in the order `byUserIds` gives them: by backend. */
export const byBackend = (a: Pick<BackendAccountRow, 'backend'>, b: Pick<BackendAccountRow, 'backend'>) => (a.backend < b.backend ? -1 : a.backend > b.backend ? 1 : 0);

/** Whether the backend confirmed the current generation of the account's desired state. */
export function isConverged(account: Pick<BackendAccountRow, 'syncedAt' | 'status' | 'desiredStatus' | 'confirmedVersion' | 'desiredVersion'>): boolean {
  return account.syncedAt !== null && account.status === account.desiredStatus && account.confirmedVersion === account.desiredVersion;
}

export interface AccountOutcome {
  status: AccountStatus;
  externalId?: string | null;
  externalRef?: string | null;
  /** Set with the link when the round proved the account (created it, or found its own lost create). */
  ownership?: AccountOwnership;
  /** The profile version the backend now holds (the one the account was claimed at). */
  profileSyncedVersion?: number;
}

/**
 * The columns the API shows of an account (plus its owner, for the `self`
 * rule): what lists read. Leases and bookkeeping timestamps
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
  desiredStatus: backendAccounts.desiredStatus,
  desiredVersion: backendAccounts.desiredVersion,
  confirmedVersion: backendAccounts.confirmedVersion,
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
      .values({ ...account, status, desiredStatus: status, confirmedVersion: 1, ownership: 'ADOPTED', syncedAt: new Date() })
      .onConflictDoNothing({ target: [backendAccounts.userId, backendAccounts.backend] })
      .returning({ id: backendAccounts.id });
    return rows.length > 0;
  },

  /**
   * A change of the desired status: a new generation, due at once. Accounts
   * already wanted in that status are left alone (a repeated disable is no
   * work). A lease held meanwhile is not waited for: its holder re-reads the
   * generation before recording and goes round again.
   */
  async setDesiredStatus(db: Executor, userId: string, desiredStatus: UserStatus): Promise<void> {
    await db
      .update(backendAccounts)
      .set({
        desiredStatus,
        desiredVersion: sql`${backendAccounts.desiredVersion} + 1`,
        desiredAt: sql`now()`,
        nextAttemptAt: sql`now()`,
        updatedAt: new Date(),
      })
      .where(and(eq(backendAccounts.userId, userId), ne(backendAccounts.desiredStatus, desiredStatus)));
  },

  /**
   * The user's profile changed: every account's desired profile is the new
   * one, a new generation of its desired state, due at once (a holder that
   * pushed the old profile goes round again).
   */
  async bumpProfile(db: Executor, userId: string): Promise<void> {
    await db
      .update(backendAccounts)
      .set({
        profileVersion: sql`${backendAccounts.profileVersion} + 1`,
        desiredVersion: sql`${backendAccounts.desiredVersion} + 1`,
        desiredAt: sql`now()`,
        nextAttemptAt: sql`now()`,
        updatedAt: new Date(),
      })
      .where(eq(backendAccounts.userId, userId));
  },

  /**
   * Take the user's accounts that have work to do and that no other
   * instance holds, for `leaseMs`, as `owner`. The conditional UPDATE is
   * atomic, so of several instances racing for one account exactly one gets it.
   */
  async claimForUser(db: Executor, userId: string, leaseMs: number, owner: string, includeConflicts = false): Promise<BackendAccountRow[]> {
    return db
      .update(backendAccounts)
      .set({ leaseUntil: leaseFor(leaseMs), leaseOwner: owner, attempts: sql`${backendAccounts.attempts} + 1` })
      .where(and(eq(backendAccounts.userId, userId), includeConflicts ? unsettled : needsWork, leaseFree))
      .returning();
  },

  /**
   * For the worker: every unconverged account that is due and whose lease is
   * free or expired. SKIP LOCKED lets several instances poll at once, each
   * taking different rows.
   */
  async claimDue(db: Executor, limit: number, leaseMs: number, owner: string): Promise<BackendAccountRow[]> {
    return db.transaction(async (tx) => {
      const rows = await tx
        .select({ id: backendAccounts.id })
        .from(backendAccounts)
        .where(and(needsWork, leaseFree, due))
        .orderBy(sql`${backendAccounts.nextAttemptAt} asc nulls first`)
        .limit(limit)
        .for('update', { skipLocked: true });
      if (rows.length === 0) return [];
      return tx
        .update(backendAccounts)
        .set({ leaseUntil: leaseFor(leaseMs), leaseOwner: owner, attempts: sql`${backendAccounts.attempts} + 1` })
        .where(
          inArray(
            backendAccounts.id,
            rows.map((row) => row.id),
          ),
        )
        .returning();
    });
  },

  /** The account as it is now (the holder re-reads the desired state before each round). */
  async byId(db: Executor, id: string): Promise<BackendAccountRow | undefined> {
    const [row] = await db.select().from(backendAccounts).where(eq(backendAccounts.id, id));
    return row;
  },

  /** Keep the leases `owner` still holds alive; answers the ids it still holds. */
  async renewLeases(db: Executor, ids: readonly string[], owner: string, leaseMs: number): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await db
      .update(backendAccounts)
      .set({ leaseUntil: leaseFor(leaseMs) })
      .where(and(inArray(backendAccounts.id, [...ids]), eq(backendAccounts.leaseOwner, owner)))
      .returning({ id: backendAccounts.id });
    return rows.map((row) => row.id);
  },

  /** Hand work back: the leases `owner` holds on `ids` are released and the accounts due now, for any instance. */
  async handBack(db: Executor, ids: readonly string[], owner: string): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await db
      .update(backendAccounts)
      .set({ leaseUntil: null, leaseOwner: null, nextAttemptAt: sql`now()`, updatedAt: new Date() })
      .where(and(inArray(backendAccounts.id, [...ids]), eq(backendAccounts.leaseOwner, owner)))
      .returning({ id: backendAccounts.id });
    return rows.map((row) => row.id);
  },

  /** Accounts not converged, by backend and age of their desired state (for the metrics gauge). */
  async unconvergedAges(db: Executor): Promise<Array<{ backend: Backend; ageSeconds: number }>> {
    const rows = await db
      .select({ backend: backendAccounts.backend, ageSeconds: sql<string>`extract(epoch from now() - ${backendAccounts.desiredAt})` })
      .from(backendAccounts)
      .where(needsWork);
    return rows.map((row) => ({ backend: row.backend, ageSeconds: Number(row.ageSeconds) }));
  },

  /**
   * Progress that must survive a later failure: the backend account exists
   * now and is proven the gateway's own (backends report progress only then).
   * `alongside` (the secrets it minted, sealed) lands in the same statement:
   * the link and its secrets land together or not at all.
   */
  async recordLink(db: Executor, id: string, link: { externalId: string; externalRef: string }, alongside: readonly SQL[] = []): Promise<void> {
    const statement = writeStatements('recordLink', () =>
      db
        .update(backendAccounts)
        .set({
          externalId: columnPlaceholder('externalId', backendAccounts.externalId),
          externalRef: columnPlaceholder('externalRef', backendAccounts.externalRef),
          ownership: 'CREATED',
          updatedAt: columnPlaceholder('now', backendAccounts.updatedAt),
        })
        .where(eq(backendAccounts.id, sql.placeholder('id'))),
    );
    await db.execute(together(alongside, statement({ id, externalId: link.externalId, externalRef: link.externalRef, now: new Date() })));
  },

  /** The backend holds someone else's account for this user: recorded, and not retried. */
  async recordConflict(db: Executor, id: string, owner: string, lastError: string): Promise<BackendAccountRow | undefined> {
    const [row] = await db
      .update(backendAccounts)
      .set({ status: 'CONFLICT', lastError, nextAttemptAt: null, leaseUntil: null, leaseOwner: null, updatedAt: new Date() })
      .where(heldBy(id, owner))
      .returning();
    return row;
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
      // A new first generation; confirmed when the account already is as wanted.
      desiredVersion: 1,
      confirmedVersion: account.active === (account.desiredStatus === 'ACTIVE') ? 1 : 0,
      desiredAt: new Date(),
      lastError: null,
      attempts: 0,
      nextAttemptAt: null,
      // Whoever held a lease on the row loses it: its outcome is not recorded.
      leaseUntil: null,
      leaseOwner: null,
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

  /**
   * The backend confirmed `outcome.status` for generation `version`: recorded
   * only by the lease holder (compare-and-set on the owner). The lease is
   * released when that generation is still the desired one; otherwise it is
   * kept and the answer says so, and the holder goes round again.
   * Undefined when the lease was lost (another instance took the work over).
   */
  async recordConfirmed(
    db: Executor,
    id: string,
    owner: string,
    version: number,
    outcome: AccountOutcome,
    /** Writes that land with the outcome (the secrets a proof minted, sealed), even when the lease was lost: see `recordLink`. */
    alongside: readonly SQL[] = [],
  ): Promise<{ row: BackendAccountRow; again: boolean } | undefined> {
    // One template per set of outcome fields (a status, and a link when the backend made one).
    // An undefined field is left as it is (as Drizzle's `set` leaves it), so it is not in the template.
    const fields = (Object.keys(outcome) as Array<keyof AccountOutcome>).filter((field) => outcome[field] !== undefined).sort();
    const statement = writeStatements(`recordConfirmed|${fields.join(',')}`, () => {
      const current = sql`${backendAccounts.desiredVersion} = ${sql.placeholder('version')}`;
      return db
        .update(backendAccounts)
        .set({
          ...Object.fromEntries(fields.map((field) => [field, columnPlaceholder(field, backendAccounts[field])])),
          confirmedVersion: columnPlaceholder('version', backendAccounts.confirmedVersion),
          lastError: null,
          attempts: 0,
          nextAttemptAt: sql`case when ${current} then null else now() end`,
          leaseUntil: sql`case when ${current} then null else ${backendAccounts.leaseUntil} end`,
          leaseOwner: sql`case when ${current} then null else ${backendAccounts.leaseOwner} end`,
          syncedAt: columnPlaceholder('now', backendAccounts.syncedAt),
          updatedAt: columnPlaceholder('now', backendAccounts.updatedAt),
        })
        .where(heldBy(sql.placeholder('id'), sql.placeholder('owner')))
        .returning();
    });
    const [row] = await selectRows(db, together(alongside, statement({ ...outcome, version, id, owner, now: new Date() })), readAccount);
    return row ? { row, again: row.desiredVersion !== version } : undefined;
  },

  /**
   * A failed attempt at generation `version`, by the lease holder: retried at
   * `nextAttemptAt` (null: parked), or at once when the desired state moved meanwhile.
   */
  async recordFailure(
    db: Executor,
    id: string,
    owner: string,
    version: number,
    failure: { lastError: string; nextAttemptAt: Date | null },
  ): Promise<BackendAccountRow | undefined> {
    const [row] = await db
      .update(backendAccounts)
      .set({
        lastError: failure.lastError,
        nextAttemptAt: sql`case when ${backendAccounts.desiredVersion} <> ${version} then now() else ${failure.nextAttemptAt}::timestamptz end`,
        status: 'FAILED',
        leaseUntil: null,
        leaseOwner: null,
        updatedAt: new Date(),
      })
      .where(heldBy(id, owner))
      .returning();
    return row;
  },
};
