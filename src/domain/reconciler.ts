// This instance's share of the convergence work: every account it holds a
// lease on, with that lease kept alive while the work runs and handed back
// (released, due now, logged by account) when the process drains. The work
// itself is domain/provisioning.ts; this file only knows leases and promises.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/client.ts';
import { backendAccountsRepository } from '../store/repositories/backend-accounts.ts';
import type { Backend } from '../store/schema.ts';

export interface TrackedWork {
  readonly accountId: string;
  /** Settles when the work has recorded its outcome (or given up); never rejects. */
  readonly promise: Promise<void>;
  /** True once `promise` settled. */
  readonly done: boolean;
}

export interface Reconciler {
  /** This process's lease owner id: random per start, so a restarted process never mistakes an old lease for its own. */
  readonly owner: string;
  readonly leaseMs: number;
  /** Track work on a leased account until it settles; its lease is renewed meanwhile. */
  track(account: { id: string; backend: Backend; userId: string }, work: () => Promise<void>): TrackedWork;
  /** Accounts this instance is working on now. */
  running(): number;
  /** Resolves when no tracked work is left (tests; the worker's batches). */
  idle(): Promise<void>;
  /**
   * Give in-flight work `boundMs` to finish, then hand back what is left:
   * leases released and the accounts due at once, for any instance; each
   * logged. Answers the ids handed back.
   */
  drain(boundMs: number): Promise<string[]>;
}

export function createReconciler(store: Store, logger: Logger, leaseMs: number): Reconciler {
  const owner = randomUUID();
  // By a token per work, not by account: a work whose lease was lost (and
  // taken over by this same instance's worker) may still be winding down.
  const works = new Map<object, { accountId: string; backend: Backend; userId: string; promise: Promise<void> }>();
  const heldIds = () => [...new Set([...works.values()].map((work) => work.accountId))];
  let heartbeat: NodeJS.Timeout | undefined;

  // A third of the lease: two renewals may fail (a slow store) before another instance could take the work.
  const renew = async () => {
    const ids = heldIds();
    try {
      const held = new Set(await backendAccountsRepository.renewLeases(store.db, ids, owner, leaseMs));
      const running = new Set(heldIds());
      for (const id of ids) {
        if (!held.has(id) && running.has(id)) logger.warn({ accountId: id }, 'lease lost while working: the outcome is left to the new holder');
      }
    } catch (error) {
      logger.warn({ error: error instanceof Error ? error.message.split('\n')[0] : String(error) }, 'could not renew leases');
    }
  };
  const startHeartbeat = () => {
    if (heartbeat) return;
    heartbeat = setInterval(() => void renew(), Math.max(100, Math.floor(leaseMs / 3)));
    heartbeat.unref();
  };
  const stopHeartbeatIfIdle = () => {
    if (works.size === 0 && heartbeat) {
      clearInterval(heartbeat);
      heartbeat = undefined;
    }
  };

  return {
    owner,
    leaseMs,
    track(account, work) {
      const state = { done: false };
      const token = {};
      const promise = work()
        .catch((error: unknown) => logger.error({ err: error, accountId: account.id }, 'account work failed unexpectedly'))
        .finally(() => {
          state.done = true;
          works.delete(token);
          stopHeartbeatIfIdle();
        });
      works.set(token, { accountId: account.id, backend: account.backend, userId: account.userId, promise });
      startHeartbeat();
      return {
        accountId: account.id,
        promise,
        get done() {
          return state.done;
        },
      };
    },
    running: () => works.size,
    async idle() {
      while (works.size > 0) await Promise.all([...works.values()].map((w) => w.promise));
    },
    async drain(boundMs) {
      if (works.size > 0) {
        logger.info({ accounts: works.size, boundMs }, 'draining: waiting for provisioning in flight');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([this.idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, boundMs)))]);
        clearTimeout(timer);
      }
      const left = [...works.values()];
      if (left.length === 0) return [];
      const handed = await backendAccountsRepository.handBack(store.db, heldIds(), owner);
      for (const work of left) {
        logger.warn(
          { accountId: work.accountId, backend: work.backend, userId: work.userId, handedBack: handed.includes(work.accountId) },
          'provisioning not finished within the drain bound: handed back, due now',
        );
      }
      return handed;
    },
  };
}
