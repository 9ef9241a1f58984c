// Bringing backend accounts to the state the gateway wants: created or
// linked, then enabled or disabled. Every step is idempotent and every
// outcome is recorded on the account row, so a failure is retried later
// (by `retryProvisioning` or the worker) and nothing is ever lost.
import { BackendRequestError } from '../backends/errors.ts';
import { randomPassword } from '../backends/forge.ts';
import { backendAccountsRepository } from '../store/repositories/backend-accounts.ts';
import { usersRepository } from '../store/repositories/users.ts';
import type { Backend, BackendAccountRow, UserRow } from '../store/schema.ts';
import { type AccountBackend, type AccountLink, type AccountSecret, linkOf } from './account-backends.ts';
import type { GatewayDeps } from './deps.ts';
import { BackendError, fail, NotFoundError, ok, type Result } from './errors.ts';

/** Longer than the slowest backend call with its inline retries; a crashed instance's claim expires after it. */
export const LEASE_MS = 5 * 60_000;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 60 * 60_000;

export interface ProvisioningOutcome {
  accounts: BackendAccountRow[];
  /** Secrets the backends made during this call: revealed once, here, and never again. */
  secrets: AccountSecret[];
}

export const secretOwner = (account: BackendAccountRow, kind: AccountSecret['kind']) => ({
  ownerType: 'backend_account',
  ownerId: account.id,
  purpose: `${account.backend.toLowerCase()}_${kind.toLowerCase()}`,
});

/** When the worker may try again: exponential with jitter, never sooner than the backend asked. */
export function nextAttemptDelay(attempts: number, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  const exponential = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
  const jittered = exponential / 2 + random() * (exponential / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}

// Answers that no later attempt can change; everything else (timeouts, 5xx,
// rate limits, garbage bodies) is worth a durable retry even where the
// transport did not retry it inline.
const PERMANENT_KINDS = new Set(['ambiguous', 'conflict', 'not_found', 'preexisting', 'credentials']);

function isPermanent(error: BackendRequestError): boolean {
  if (PERMANENT_KINDS.has(error.kind)) return true;
  return error.kind === 'status' && error.status !== undefined && error.status < 500 && error.status !== 408 && error.status !== 429;
}

function describeFailure(error: unknown): { message: string; retryable: boolean; retryAfterMs: number | undefined } {
  if (error instanceof BackendRequestError) return { message: error.message, retryable: !isPermanent(error), retryAfterMs: error.retryAfterMs };
  if (error instanceof BackendError) return { message: error.message, retryable: error.retryable, retryAfterMs: undefined };
  // A bug, not a backend answer: retry later, but never show its text.
  return { message: 'internal error while provisioning (see the gateway log)', retryable: true, retryAfterMs: undefined };
}

/**
 * The password an account is created with: made once, sealed before the
 * backend sees it, the same on every retry. It is the proof that an account
 * found on a retry is the gateway's own lost create (docs/architecture.md,
 * "Trust model"), and is revealed once the account is provisioned.
 */
async function initialPassword(deps: GatewayDeps, account: BackendAccountRow): Promise<string> {
  const owner = secretOwner(account, 'PASSWORD');
  const sealed = await deps.secrets.get(deps.store.db, owner);
  if (sealed !== undefined) return sealed;
  const fresh = randomPassword();
  await deps.secrets.put(deps.store.db, owner, fresh);
  return fresh;
}

/**
 * The profile step (names, email), separate from status: pushed to a linked,
 * owned account whose desired profile version is ahead of the one the
 * backend confirmed. The caller records the claimed version as confirmed.
 */
async function pushProfile(backend: AccountBackend, user: UserRow, account: BackendAccountRow, link: AccountLink): Promise<void> {
  if (account.profileSyncedVersion === account.profileVersion) return;
  await backend.updateProfile(link, user);
}

/** Work one claimed account to its wanted state and record the outcome. */
async function runAccount(deps: GatewayDeps, user: UserRow, account: BackendAccountRow, revealed: AccountSecret[]): Promise<void> {
  const { db } = deps.store;
  const backend = deps.accountBackends[account.backend];
  const log = deps.logger.child({ accountId: account.id, backend: account.backend, attempt: account.attempts });
  if (!backend) {
    await backendAccountsRepository.recordFailure(db, account.id, { lastError: `backend ${account.backend} is not configured`, nextAttemptAt: null });
    return;
  }
  if (user.deletedAt !== null && !linkOf(account)) {
    // Nothing is created for a deleted user; restoreUser finishes the account.
    await backendAccountsRepository.recordFailure(db, account.id, { lastError: 'not created: the user was deleted before this account was provisioned', nextAttemptAt: null });
    return;
  }
  const wantActive = account.desiredStatus === 'ACTIVE';
  try {
    let link = linkOf(account);
    // Nothing but the proof itself is done to an account whose ownership is
    // not on record: provisioning proves it (or creates) first.
    if (account.syncedAt === null || account.ownership === null) {
      const result = await backend.provision({
        user,
        initialPassword: () => initialPassword(deps, account),
        progress: async ({ link: confirmed, secrets, reveal = [] }) => {
          await db.transaction(async (tx) => {
            await backendAccountsRepository.recordLink(tx, account.id, confirmed);
            for (const secret of secrets) await deps.secrets.put(tx, secretOwner(account, secret.kind), secret.value);
          });
          revealed.push(...reveal, ...secrets);
        },
      });
      link = result;
      if (result.active !== wantActive) await backend.setActive(result, wantActive);
    } else if (link && account.status !== account.desiredStatus) {
      await backend.setActive(link, wantActive);
    }
    if (link) await pushProfile(backend, user, account, link);
    await backendAccountsRepository.recordSuccess(db, account.id, { status: account.desiredStatus, ...link, profileSyncedVersion: account.profileVersion });
    log.info({ status: account.desiredStatus }, 'backend account in sync');
  } catch (error) {
    if (error instanceof BackendRequestError && error.kind === 'preexisting') {
      // Someone else's account: recorded, never retried by the worker, and
      // left exactly as it is in the backend until an admin adopts it.
      await backendAccountsRepository.recordConflict(db, account.id, error.message);
      log.warn({ error: error.message }, 'backend account exists and is not the gateway\'s: left alone');
      return;
    }
    const failure = describeFailure(error);
    if (!(error instanceof BackendError)) log.error({ err: error }, 'unexpected error while provisioning');
    const nextAttemptAt = failure.retryable ? new Date(Date.now() + nextAttemptDelay(account.attempts, failure.retryAfterMs)) : null;
    await backendAccountsRepository.recordFailure(db, account.id, { lastError: failure.message, nextAttemptAt });
    log.warn({ error: failure.message, retryable: failure.retryable, nextAttemptAt }, 'backend account failed');
  }
}

/** Run claimed accounts concurrently: the slowest backend, not their sum, sets the latency. */
async function runClaimed(deps: GatewayDeps, claimed: BackendAccountRow[]): Promise<AccountSecret[]> {
  if (claimed.length === 0) return [];
  // Deleted users included: their accounts' disables are finished too.
  const users = new Map((await usersRepository.byIds(deps.store.db, [...new Set(claimed.map((a) => a.userId))], { includeDeleted: true })).map((u) => [u.id, u]));
  const revealed: AccountSecret[] = [];
  await Promise.all(
    claimed.map(async (account) => {
      const user = users.get(account.userId);
      if (user) await runAccount(deps, user, account, revealed);
    }),
  );
  return revealed;
}

/**
 * Claim the user's accounts that have work, run them, and answer with every
 * account's state. CONFLICT accounts are tried again (the proof only, which
 * changes nothing in the backend) only when `recheckConflicts` says so: on an
 * explicit `retryProvisioning`, never on enable/disable or by the worker.
 */
export async function syncUserAccounts(deps: GatewayDeps, userId: string, options: { recheckConflicts?: boolean } = {}): Promise<ProvisioningOutcome> {
  const claimed = await backendAccountsRepository.claimForUser(deps.store.db, userId, LEASE_MS, options.recheckConflicts === true);
  const secrets = await runClaimed(deps, claimed);
  return { accounts: await backendAccountsRepository.byUserIds(deps.store.db, [userId]), secrets };
}

export async function retryProvisioning(deps: GatewayDeps, userId: string): Promise<Result<ProvisioningOutcome & { user: UserRow }>> {
  const [user] = await usersRepository.byIds(deps.store.db, [userId]);
  if (!user) return fail(new NotFoundError(`no user with id "${userId}"`));
  return ok({ user, ...(await syncUserAccounts(deps, userId, { recheckConflicts: true })) });
}

/** One pass of the retry worker: accounts whose retry time has come, at most `limit`. */
export async function retryDueAccounts(deps: GatewayDeps, limit = 20): Promise<number> {
  const claimed = await backendAccountsRepository.claimDue(deps.store.db, limit, LEASE_MS);
  await runClaimed(deps, claimed);
  return claimed.length;
}

export function configuredBackends(deps: GatewayDeps): Backend[] {
  return (Object.keys(deps.accountBackends) as Backend[]).sort();
}
