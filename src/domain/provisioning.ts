// Bringing backend accounts to the state the gateway wants: a reconciler.
// Each account has a desired state (with a generation, `desired_version`)
// and the state the backend last confirmed. Whoever holds the account's
// lease works towards the desired state, records the outcome only for the
// generation it worked on (compare-and-set), and goes round again when the
// desired state moved meanwhile. Mutations do that inline within a deadline;
// the worker claims anything unconverged whose lease is free or expired.
// docs/operations.md, "Convergence", states the guarantees and bounds.
import type { CallBudget } from '../backends/budget.ts';
import { BackendRequestError } from '../backends/errors.ts';
import { randomPassword } from '../backends/forge.ts';
import { backendAccountsRepository, byBackend, isConverged } from '../store/repositories/backend-accounts.ts';
import { usersRepository } from '../store/repositories/users.ts';
import type { Backend, BackendAccountRow, UserRow } from '../store/schema.ts';
import { type AccountBackend, type AccountLink, type AccountSecret, linkOf, type ProgressSink, SECRET_KINDS, type SecretKind } from './account-backends.ts';
import type { GatewayDeps } from './deps.ts';
import { BackendError, fail, NotFoundError, ok, type Result, type Retry } from '../errors.ts';
import type { TrackedWork } from './reconciler.ts';

const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 60 * 60_000;
/**
 * Rounds one holder makes while the desired state keeps moving under it.
 * Each round applies the latest state, so going round is always right; the
 * cap only keeps a bug that bumps generations in a loop from holding a
 * lease forever (the account is then handed back to the worker).
 */
const MAX_ROUNDS = 50;
/** How often a mutation looks again at accounts another holder is working on, until its deadline. */
const POLL_MS = 100;

export interface ProvisioningOutcome {
  accounts: BackendAccountRow[];
  /** Secrets the backends made during this call: revealed once, here, and never again. */
  secrets: AccountSecret[];
  /** Secrets made by work this call did not wait for (or earlier), sealed for one `revealAccountSecrets`. */
  pendingSecrets: Array<{ backend: Backend; kind: SecretKind }>;
}

export const SECRET_OWNER_TYPE = 'backend_account';

export const secretOwner = (account: Pick<BackendAccountRow, 'id' | 'backend'>, kind: SecretKind) => ({
  ownerType: SECRET_OWNER_TYPE,
  ownerId: account.id,
  purpose: `${account.backend.toLowerCase()}_${kind.toLowerCase()}`,
});

/** The kind of an account's secret from its purpose (`forge_token` -> TOKEN). */
export function secretKindOf(account: Pick<BackendAccountRow, 'backend'>, purpose: string): SecretKind | undefined {
  return SECRET_KINDS.find((kind) => purpose === `${account.backend.toLowerCase()}_${kind.toLowerCase()}`);
}

/** When the worker may try again: exponential with jitter, never sooner than the backend asked. */
export function nextAttemptDelay(attempts: number, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  const exponential = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
  const jittered = exponential / 2 + random() * (exponential / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}

/**
 * What the account row records of a failure. Whether the worker tries again
 * is the failure's own `retry`, decided where it happened (src/errors.ts):
 * `now` and `later` are scheduled, `never` waits for an admin.
 */
function describeFailure(error: unknown): { message: string; retry: Retry; retryAfterMs: number | undefined } {
  if (error instanceof BackendRequestError) return { message: error.message, retry: error.retry, retryAfterMs: error.retryAfterMs };
  if (error instanceof BackendError) return { message: error.message, retry: error.retry, retryAfterMs: undefined };
  // A bug, not a backend answer: retry later, but never show its text.
  return { message: 'internal error while provisioning (see the gateway log)', retry: 'later', retryAfterMs: undefined };
}

/**
 * The password an account is created with: made once, sealed before the
 * backend sees it, the same on every retry. It is the proof that an account
 * found on a retry is the gateway's own lost create (docs/architecture.md,
 * "Trust model"), and is revealed once the account is provisioned.
 */
async function initialPassword(deps: GatewayDeps, account: BackendAccountRow): Promise<string> {
  return deps.secrets.putIfAbsent(deps.store.db, secretOwner(account, 'PASSWORD'), randomPassword());
}

/**
 * One round: make the backend hold `account`'s desired state. An account
 * whose ownership is not on record is proven (or created) first, and
 * nothing but the proof is done to it before that; a proven one only has
 * its status set, so a retry never mints a second token.
 */
async function bringToDesired(deps: GatewayDeps, user: UserRow, account: BackendAccountRow, outcome: WorkOutcome, budget: CallBudget | undefined): Promise<AccountLink | undefined> {
  const { revealed } = outcome;
  const backend = deps.accountBackends[account.backend];
  if (!backend) throw new BackendError(account.backend.toLowerCase(), `backend ${account.backend} is not configured`, 'never');
  const wantActive = account.desiredStatus === 'ACTIVE';
  if (account.ownership === null) {
    // Nothing is created for a deleted user; restoreUser finishes the account.
    if (user.deletedAt !== null) throw new BackendError(account.backend.toLowerCase(), 'not created: the user was deleted before this account was provisioned', 'never');
    const result = await backend.provision({
      user,
      budget,
      initialPassword: () => {
        outcome.sealedPassword = true;
        return initialPassword(deps, account);
      },
      progress: async (step) => {
        // Held until the next backend call or the round's outcome, whichever
        // comes first: usually nothing follows, and the link lands with the
        // confirmed outcome in one statement (docs/performance.md, change 38).
        await recordProven(deps, account, outcome);
        outcome.proven = step;
        revealed.push(...(step.reveal ?? []), ...step.secrets);
      },
    });
    if (result.active !== wantActive) {
      await recordProven(deps, account, outcome);
      await backend.setActive(result, wantActive, budget);
    }
    // Created from the current user row: the profile it holds is the current one.
    return { externalId: result.externalId, externalRef: result.externalRef };
  }
  const link = linkOf(account);
  if (link && account.status !== account.desiredStatus) await backend.setActive(link, wantActive, budget);
  if (link) await pushProfile(backend, user, account, link, budget);
  return link;
}

/** The sealed secrets of a proven step, as writes to land with its link. */
const sealedSecretsOf = (deps: GatewayDeps, account: BackendAccountRow, step: ProvenStep) =>
  step.secrets.map((secret) => deps.secrets.putStatement(deps.store.db, secretOwner(account, secret.kind), secret.value));

/**
 * Progress that must survive what comes next: the proven link and the
 * secrets it minted, in one statement (they land together or not at all),
 * unless already recorded. Unconditional, like a crash-safe checkpoint:
 * even a holder that lost its lease leaves the proof on record.
 */
async function recordProven(deps: GatewayDeps, account: BackendAccountRow, outcome: WorkOutcome): Promise<void> {
  const step = outcome.proven;
  if (!step) return;
  await backendAccountsRepository.recordLink(deps.store.db, account.id, step.link, sealedSecretsOf(deps, account, step));
  outcome.proven = undefined;
}

/**
 * The profile step (names, email), separate from status: pushed to a linked,
 * owned account whose desired profile version is ahead of the one the
 * backend confirmed. The caller records the version it worked on.
 */
async function pushProfile(backend: AccountBackend, user: UserRow, account: BackendAccountRow, link: AccountLink, budget: CallBudget | undefined): Promise<void> {
  if (account.profileSyncedVersion === account.profileVersion) return;
  await backend.updateProfile(link, user, budget);
}

/**
 * Work one leased account until the backend confirmed its current desired
 * generation, recording every outcome as the lease holder only.
 */
async function reconcileAccount(deps: GatewayDeps, user: UserRow, claimed: BackendAccountRow, outcome: WorkOutcome, budget: CallBudget | undefined): Promise<void> {
  const { db } = deps.store;
  const { owner } = deps.reconciler;
  let account = claimed;
  for (let round = 1; round <= MAX_ROUNDS; round += 1) {
    const version = account.desiredVersion;
    const log = deps.logger.child({ accountId: account.id, backend: account.backend, attempt: account.attempts, version });
    try {
      const link = await bringToDesired(deps, user, account, outcome, budget);
      // A proof not yet on record lands with the outcome: the link, its ownership and its secrets in the same statement.
      const { proven } = outcome;
      const recorded = await backendAccountsRepository.recordConfirmed(
        db,
        account.id,
        owner,
        version,
        { status: account.desiredStatus, ...link, profileSyncedVersion: account.profileVersion, ...(proven ? { ownership: 'CREATED' as const } : {}) },
        proven ? sealedSecretsOf(deps, account, proven) : [],
      );
      outcome.proven = undefined;
      if (!recorded) {
        // The proof stays on record for the new holder, as it would have before the outcome:
        // its secrets landed with the statement above whatever the lease, the link goes now.
        if (proven) await backendAccountsRepository.recordLink(db, account.id, proven.link);
        log.warn('lease lost before the outcome was recorded: the new holder converges the account');
        return;
      }
      log.info({ status: account.desiredStatus }, 'backend account in sync');
      outcome.final = recorded.again ? undefined : recorded.row;
      if (!recorded.again) return;
      // The desired state moved while this round ran: go round again under the same lease.
      account = recorded.row;
    } catch (error) {
      // A proof made before the failure is kept (its link, ownership and secrets), whatever failed after it.
      if (outcome.proven) await recordProven(deps, account, outcome).catch((cause: unknown) => log.warn({ error: cause instanceof Error ? cause.message : String(cause) }, 'could not record the proven link'));
      if (error instanceof BackendRequestError && error.kind === 'preexisting') {
        // Someone else's account: recorded, never retried by the worker, and
        // left exactly as it is in the backend until an admin adopts it.
        outcome.final = await backendAccountsRepository.recordConflict(db, account.id, owner, error.message);
        log.warn({ error: error.message }, "backend account exists and is not the gateway's: left alone");
        return;
      }
      const failure = describeFailure(error);
      if (!(error instanceof BackendError)) log.error({ err: error }, 'unexpected error while provisioning');
      const nextAttemptAt = failure.retry !== 'never' ? new Date(Date.now() + nextAttemptDelay(account.attempts, failure.retryAfterMs)) : null;
      outcome.final = await backendAccountsRepository.recordFailure(db, account.id, owner, version, { lastError: failure.message, nextAttemptAt });
      log.warn({ error: failure.message, retry: failure.retry, nextAttemptAt }, 'backend account failed');
      return;
    }
  }
  await backendAccountsRepository.handBack(db, [account.id], owner);
  deps.logger.warn({ accountId: account.id, rounds: MAX_ROUNDS }, 'desired state kept changing: handed back, due now');
}

/** A backend's proven step (`ProgressSink`): the account's link and the secrets it minted. */
type ProvenStep = Parameters<ProgressSink>[0];

/** What one account's work left behind, filled in as it runs. */
interface WorkOutcome {
  /** Secrets this work made, to reveal in the mutation's payload if it finishes in time. */
  revealed: AccountSecret[];
  /** A proven step not on record yet: written before the next backend call, with the round's outcome, or before its failure. */
  proven?: ProvenStep | undefined;
  /** The row as this work last recorded it (its lease released); undefined while running, or when the lease was lost. */
  final?: BackendAccountRow | undefined;
  /** Whether an initial password was sealed (it may wait for the pickup if no payload showed it). */
  sealedPassword?: boolean;
}

interface StartedWork extends WorkOutcome {
  account: BackendAccountRow;
  work: TrackedWork;
}

/**
 * Start the claimed accounts' work concurrently (the slowest backend, not
 * their sum, sets the latency), tracked by this instance. `user` is the
 * owner of every claimed account when the caller already holds its row.
 */
async function startClaimed(deps: GatewayDeps, claimed: BackendAccountRow[], budget?: CallBudget, user?: UserRow): Promise<StartedWork[]> {
  if (claimed.length === 0) return [];
  const ownerIds = [...new Set(claimed.map((a) => a.userId))];
  const known = user !== undefined && ownerIds.length === 1 && ownerIds[0] === user.id ? [user] : undefined;
  // Deleted users included: their accounts' disables are finished too.
  const users = new Map((known ?? (await usersRepository.byIds(deps.store.db, ownerIds, { includeDeleted: true }))).map((u) => [u.id, u]));
  return claimed.map((account) => {
    const outcome: WorkOutcome = { revealed: [] };
    const owner = users.get(account.userId);
    const work = deps.reconciler.track(account, async () => {
      if (owner) await reconcileAccount(deps, owner, account, outcome, budget);
    });
    return Object.assign(outcome, { account, work });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves when every work settled or at `deadline` (epoch ms), whichever is first. */
async function settledBy(works: StartedWork[], deadline: number): Promise<void> {
  if (works.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(works.map((w) => w.work.promise)), new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))))]);
  clearTimeout(timer);
}

const leased = (account: BackendAccountRow) => account.leaseUntil !== null && account.leaseUntil.getTime() > Date.now();

/**
 * The user's accounts once every one is converged or not being worked on,
 * or at `deadline`: a disable that found the account leased by a create in
 * flight answers with the holder's outcome when it comes in time.
 */
async function accountsBy(deps: GatewayDeps, userId: string, deadline: number): Promise<BackendAccountRow[]> {
  for (;;) {
    const accounts = await backendAccountsRepository.byUserIds(deps.store.db, [userId]);
    const waiting = accounts.some((account) => !isConverged(account) && account.status !== 'CONFLICT' && leased(account));
    if (!waiting || Date.now() + POLL_MS > deadline) return accounts;
    await sleep(POLL_MS);
  }
}

/**
 * Secrets shown in a payload are marked revealed (no pickup shows them
 * again). The initial password is then deleted: its one other use, the
 * ownership proof, is over once the account's link is recorded, which
 * happens in the same step that made these secrets.
 */
async function settleRevealed(deps: GatewayDeps, works: StartedWork[]): Promise<void> {
  const shown = works.flatMap((started) => started.revealed.map((secret) => ({ kind: secret.kind, owner: secretOwner(started.account, secret.kind) })));
  await deps.secrets.settleShown(
    deps.store.db,
    shown.filter((secret) => secret.kind === 'PASSWORD').map((secret) => secret.owner),
    shown.filter((secret) => secret.kind !== 'PASSWORD').map((secret) => secret.owner),
  );
}

/**
 * The answer for a new user without reading it back: every account was
 * claimed by this call (`insertIfFreeWithAccounts`), every work finished in time and
 * recorded its row, and each secret it made was shown in this payload, so
 * none waits for the pickup. Undefined when any of that does not hold.
 */
function answeredInPlace(works: StartedWork[]): Pick<ProvisioningOutcome, 'accounts' | 'pendingSecrets'> | undefined {
  const accounts: BackendAccountRow[] = [];
  for (const started of works) {
    if (!started.work.done || started.final === undefined) return undefined;
    const passwordShown = started.revealed.some((secret) => secret.kind === 'PASSWORD');
    if (started.sealedPassword === true && !passwordShown) return undefined;
    accounts.push(started.final);
  }
  return { accounts: accounts.sort(byBackend), pendingSecrets: [] };
}

/** Which sealed secrets of the user's proven accounts wait for their pickup. */
export async function pendingSecretsOf(deps: GatewayDeps, accounts: BackendAccountRow[]): Promise<ProvisioningOutcome['pendingSecrets']> {
  const proven = new Map(accounts.filter((a) => a.ownership !== null).map((a) => [a.id, a]));
  const waiting = await deps.secrets.unrevealed(deps.store.db, SECRET_OWNER_TYPE, [...proven.keys()]);
  return waiting.flatMap((owner) => {
    const account = proven.get(owner.ownerId);
    const kind = account ? secretKindOf(account, owner.purpose) : undefined;
    return account && kind ? [{ backend: account.backend, kind }] : [];
  });
}

/**
 * Claim the user's accounts that have work, work them until they converge
 * or the mutation deadline passes (the work then carries on under its lease,
 * and the worker after it), and answer with every account's state.
 * CONFLICT accounts are tried again (the proof only, which changes nothing
 * in the backend) only when `recheckConflicts` says so: on an explicit
 * `retryProvisioning`, never on enable/disable or by the worker.
 */
export async function syncUserAccounts(
  deps: GatewayDeps,
  userId: string,
  options: {
    recheckConflicts?: boolean;
    /** The user's row, when the caller holds it (no read-back). */
    user?: UserRow;
    /** Every account of a new user, inserted already claimed by this instance (`insertIfFreeWithAccounts`). */
    claimedNew?: BackendAccountRow[];
  } = {},
): Promise<ProvisioningOutcome> {
  const deadline = Date.now() + deps.config.provisioning.deadlineMs;
  const claimed =
    options.claimedNew ??
    (await backendAccountsRepository.claimForUser(deps.store.db, userId, deps.reconciler.leaseMs, deps.reconciler.owner, options.recheckConflicts === true));
  // Inline retries only within the deadline; past it the account is the worker's at its retry time.
  const works = await startClaimed(deps, claimed, { deadline }, options.user);
  await settledBy(works, deadline);
  // Decided at one instant: work that finishes later keeps its secrets for the pickup.
  const inTime = works.filter((started) => started.work.done);
  await settleRevealed(deps, inTime);
  const secrets = inTime.flatMap((started) => started.revealed);
  const inPlace = options.claimedNew ? answeredInPlace(works) : undefined;
  if (inPlace) return { ...inPlace, secrets };
  const accounts = await accountsBy(deps, userId, deadline);
  return { accounts, secrets, pendingSecrets: await pendingSecretsOf(deps, accounts) };
}

export async function retryProvisioning(deps: GatewayDeps, userId: string): Promise<Result<ProvisioningOutcome & { user: UserRow }>> {
  const [user] = await usersRepository.byIds(deps.store.db, [userId]);
  if (!user) return fail(new NotFoundError(`no user with id "${userId}"`));
  return ok({ user, ...(await syncUserAccounts(deps, userId, { recheckConflicts: true })) });
}

/** One pass of the worker: unconverged accounts that are due and not held, at most `limit`, worked to the end. */
export async function retryDueAccounts(deps: GatewayDeps, limit = 20): Promise<number> {
  const claimed = await backendAccountsRepository.claimDue(deps.store.db, limit, deps.reconciler.leaseMs, deps.reconciler.owner);
  const works = await startClaimed(deps, claimed);
  await Promise.all(works.map((started) => started.work.promise));
  return claimed.length;
}

export function configuredBackends(deps: GatewayDeps): Backend[] {
  return (Object.keys(deps.accountBackends) as Backend[]).sort();
}
