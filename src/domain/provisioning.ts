// Bringing backend accounts to the state the gateway wants: created or
// linked, then enabled or disabled. Every step is idempotent and every
// outcome is recorded on the account row, so a failure is retried later
// (by `retryProvisioning` or the worker) and nothing is ever lost.
import { BackendRequestError } from '../backends/errors.ts';
import { backendAccountsRepository } from '../store/repositories/backend-accounts.ts';
import { usersRepository } from '../store/repositories/users.ts';
import type { Backend, BackendAccountRow, UserRow } from '../store/schema.ts';
import { type AccountSecret, linkOf } from './account-backends.ts';
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
const PERMANENT_KINDS = new Set(['ambiguous', 'conflict', 'not_found']);

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

/** Work one claimed account to its wanted state and record the outcome. */
async function runAccount(deps: GatewayDeps, user: UserRow, account: BackendAccountRow, revealed: AccountSecret[]): Promise<void> {
  const { db } = deps.store;
  const backend = deps.accountBackends[account.backend];
  const log = deps.logger.child({ accountId: account.id, backend: account.backend, attempt: account.attempts });
  if (!backend) {
    await backendAccountsRepository.recordFailure(db, account.id, { lastError: `backend ${account.backend} is not configured`, nextAttemptAt: null });
    return;
  }
  const wantActive = account.desiredStatus === 'ACTIVE';
  try {
    let link = linkOf(account);
    if (account.syncedAt === null) {
      const result = await backend.provision(user, async ({ link: confirmed, secrets }) => {
        await db.transaction(async (tx) => {
          await backendAccountsRepository.recordLink(tx, account.id, confirmed);
          for (const secret of secrets) await deps.secrets.put(tx, secretOwner(account, secret.kind), secret.value);
        });
        revealed.push(...secrets);
      });
      link = result;
      if (result.active !== wantActive) await backend.setActive(result, wantActive);
    } else if (link) {
      await backend.setActive(link, wantActive);
    }
    await backendAccountsRepository.recordSuccess(db, account.id, { status: account.desiredStatus, ...link });
    log.info({ status: account.desiredStatus }, 'backend account in sync');
  } catch (error) {
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
  const users = new Map((await usersRepository.byIds(deps.store.db, [...new Set(claimed.map((a) => a.userId))])).map((u) => [u.id, u]));
  const revealed: AccountSecret[] = [];
  await Promise.all(
    claimed.map(async (account) => {
      const user = users.get(account.userId);
      if (user) await runAccount(deps, user, account, revealed);
    }),
  );
  return revealed;
}

/** Claim the user's accounts that have work, run them, and answer with every account's state. */
export async function syncUserAccounts(deps: GatewayDeps, userId: string): Promise<ProvisioningOutcome> {
  const claimed = await backendAccountsRepository.claimForUser(deps.store.db, userId, LEASE_MS);
  const secrets = await runClaimed(deps, claimed);
  return { accounts: await backendAccountsRepository.byUserIds(deps.store.db, [userId]), secrets };
}

export async function retryProvisioning(deps: GatewayDeps, userId: string): Promise<Result<ProvisioningOutcome & { user: UserRow }>> {
  const [user] = await usersRepository.byIds(deps.store.db, [userId]);
  if (!user) return fail(new NotFoundError(`no user with id "${userId}"`));
  return ok({ user, ...(await syncUserAccounts(deps, userId)) });
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
